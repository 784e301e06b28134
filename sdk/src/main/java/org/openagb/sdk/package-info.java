/**
 * The OpenAGB Java client. Start at {@link org.openagb.sdk.AGB}; policies and mounts come from
 * {@code org.openagb.model} ({@code SyncPolicy}, {@code ContextSync}).
 *
 * <p>Every operation returns a record implementing {@link org.openagb.sdk.ApiResult}; server and transport failures
 * are failed results, never exceptions. Arguments that can never work throw {@link IllegalArgumentException} before
 * any request. Everything in {@code org.openagb.sdk.internal} is implementation.
 */
package org.openagb.sdk;
