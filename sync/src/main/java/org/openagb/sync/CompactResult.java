package org.openagb.sync;

/**
 * What a pack compaction of one context did ({@link SyncEngine#compactPacks}).
 *
 * @param packsRewritten mostly-dead packs whose live files were copied (they become garbage for a later collection)
 * @param packsWritten new packs written
 * @param bytesCopied live bytes copied
 * @param entriesMoved manifest entries pointed at the copies by the compaction's commit
 */
public record CompactResult(int packsRewritten, int packsWritten, long bytesCopied, long entriesMoved) {}
