/**
 * Session sandboxes and the MCP tools that run in them.
 *
 * <p>Most users need {@link org.openagb.sandbox.BubblewrapSandboxRuntime} to start a {@link
 * org.openagb.sandbox.Sandbox} per session, and {@link org.openagb.sandbox.Tools} to answer tool calls
 * ({@code shell} and the file tools) against it. File tools act on the host side through {@link
 * org.openagb.sandbox.SessionFiles}, which resolves every in-session path inside the session's writable roots
 * and never follows a symlink out of them.
 */
package org.openagb.sandbox;
