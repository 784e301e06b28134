/**
 * Session sandboxes and the MCP tools that run in them.
 *
 * <p>Most users need {@link org.openagb.sandbox.BubblewrapSandboxRuntime} to start a {@link
 * org.openagb.sandbox.Sandbox} per session, and {@link org.openagb.sandbox.Tools} to answer tool calls
 * ({@code shell} and the file tools) against it. File tools act on the host side through {@link
 * org.openagb.sandbox.SessionFiles}, which resolves every in-session path inside the session's writable roots
 * and never follows a symlink out of them.
 *
 * <p>Every session is limited by {@link org.openagb.sandbox.SessionLimits} (memory, processes, disk, network),
 * configured with {@link org.openagb.sandbox.SandboxConfig#withLimits}; a command or cell that runs into a limit
 * gets a line on its stderr (or in its {@code KernelDied} error) that names the limit and the setting to raise.
 */
package org.openagb.sandbox;
