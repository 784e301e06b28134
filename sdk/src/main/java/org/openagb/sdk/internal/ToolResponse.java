package org.openagb.sdk.internal;

/**
 * The outcome of one {@code POST /mcp} tool call (WIRE §4.2).
 *
 * @param success envelope success and not {@code data.isError}
 * @param requestId the call's request id
 * @param errorMessage on failure: the transport error, else the envelope message if non-empty, else the tool text
 * @param text the tool's result text (also set on an {@code isError} result), or {@code null}
 */
public record ToolResponse(boolean success, String requestId, String errorMessage, String text) {}
