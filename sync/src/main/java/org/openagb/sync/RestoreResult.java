package org.openagb.sync;

/**
 * What {@link SyncEngine#restoreVersion} did.
 *
 * @param restored the generation whose content was restored
 * @param head the head now current: a new generation, or the unchanged head if it already held that content
 * @param committed false when the head already held exactly the restored content (nothing was committed)
 */
public record RestoreResult(long restored, Head head, boolean committed) {}
