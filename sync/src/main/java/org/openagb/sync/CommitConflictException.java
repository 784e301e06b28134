package org.openagb.sync;

/**
 * Thrown when a commit lost the compare-and-set race more times than {@link SyncOptions#maxCommitAttempts()}
 * allows. Nothing was committed; retrying later is safe.
 */
public class CommitConflictException extends SyncException {
    public CommitConflictException(String contextId, int attempts) {
        super("Cannot commit context '" + contextId + "': other commits won " + attempts
                + " times in a row (retry later, or reduce concurrent writers)");
    }
}
