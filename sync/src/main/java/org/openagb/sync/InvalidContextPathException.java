package org.openagb.sync;

/**
 * Client text that is not a valid context path ({@link ContextPaths#parse}). The message is {@code Cannot use path
 * '<value>': <reason>}; {@link #reason()} is the part after the colon, for callers that name the path differently.
 */
public final class InvalidContextPathException extends SyncException {
    private static final long serialVersionUID = 1L;

    private final String shown;
    private final String reason;

    InvalidContextPathException(String shown, String reason) {
        super("Cannot use path '" + shown + "': " + reason);
        this.shown = shown;
        this.reason = reason;
    }

    /** The path as shown in the message (abbreviated, NUL made visible). */
    public String shown() {
        return shown;
    }

    /** Why the path is refused and how to fix it. */
    public String reason() {
        return reason;
    }
}
