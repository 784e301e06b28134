package org.openagb.sandbox;

/**
 * The one unchecked exception of this module. Messages follow {@code Cannot <verb> <what> '<value>': <reason> (<how
 * to fix>)}.
 */
public class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
