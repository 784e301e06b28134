package org.openagb.model;

/**
 * Thrown when a context-sync value is invalid: a wildcard in a white-list, exclude or recycle path, a blank mapping
 * path, a relative mount path, or an unknown enum string in policy JSON.
 *
 * <p>The message names the offending value and says how to fix it, in the form {@code Cannot <verb> <what>
 * '<value>': <reason> (<how to fix>)}. It extends {@link IllegalArgumentException}, so callers that already handle bad
 * arguments handle it too.
 */
public final class PolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}
