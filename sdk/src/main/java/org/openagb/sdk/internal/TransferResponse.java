package org.openagb.sdk.internal;

/**
 * The outcome of one presigned-URL transfer (WIRE §6.6).
 *
 * @param status the HTTP status, or 0 after a transport failure
 * @param bytes body bytes sent (PUT) or received (GET)
 * @param error why no response arrived, or {@code null}
 */
public record TransferResponse(int status, long bytes, String error) {}
