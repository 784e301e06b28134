package org.openagb.sync.internal;

/**
 * The manifest file format, version 1.
 *
 * <pre>
 * "OAGM" (4 bytes), int version = 1, then a zstd stream of:
 *   per entry: byte 1, int sharedPrefixChars, UTF pathSuffix, byte type (0 file, 1 dir, 2 symlink),
 *              long size, long mtimeMillis, int mode, long hash, long uploadedAtMillis,
 *              file with size &gt; 0: UTF objectKey, long offset (length = size);  symlink: UTF target
 *   end:       byte 0, long entryCount
 * </pre>
 *
 * Entries are strictly increasing in canonical order; readers verify order, the end marker and the count, so a
 * truncated or reordered manifest is rejected.
 */
public final class ManifestFormat {
    static final byte[] MAGIC = {'O', 'A', 'G', 'M'};
    static final int VERSION = 1;
    static final byte ENTRY = 1;
    static final byte END = 0;

    private ManifestFormat() {}
}
