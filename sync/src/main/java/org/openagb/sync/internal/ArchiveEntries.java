package org.openagb.sync.internal;

import java.util.Date;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.X000A_NTFS;
import org.apache.commons.compress.archivers.zip.X5455_ExtendedTimestamp;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipExtraField;

/** Rules shared by the archive packer and extractor: names, symlink targets, times, compressed extensions. */
final class ArchiveEntries {
    private ArchiveEntries() {}

    /** Extensions of formats that are already compressed: such files are STORED. */
    private static final Set<String> COMPRESSED = Set.of(
            "zip",
            "gz",
            "tgz",
            "bz2",
            "tbz",
            "tbz2",
            "xz",
            "txz",
            "zst",
            "tzst",
            "lz4",
            "lz",
            "lzma",
            "7z",
            "rar",
            "cab",
            "br",
            "jar",
            "war",
            "ear",
            "apk",
            "aar",
            "whl",
            "egg",
            "nupkg",
            "crx",
            "xpi",
            "vsix",
            "deb",
            "rpm",
            "jpg",
            "jpeg",
            "png",
            "gif",
            "webp",
            "avif",
            "heic",
            "heif",
            "jxl",
            "ico",
            "mp3",
            "aac",
            "m4a",
            "ogg",
            "oga",
            "opus",
            "flac",
            "mp4",
            "m4v",
            "mkv",
            "webm",
            "avi",
            "mov",
            "wmv",
            "flv",
            "woff",
            "woff2",
            "pdf",
            "docx",
            "xlsx",
            "pptx",
            "odt",
            "ods",
            "odp",
            "epub",
            "pack",
            "sqlite-wal");

    /** True if the file name's extension marks an already compressed format. */
    static boolean alreadyCompressed(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        if (dot <= slash + 1 || dot == name.length() - 1) {
            return false;
        }
        return COMPRESSED.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Why a symlink at {@code relPath} (relative to the archive root) with {@code target} could resolve outside
     * the root, or null if it cannot. Accepted: a relative target whose {@code ".."} components all come first and
     * do not climb above the link's directory depth. Because the extractor never lets a symlink be the parent of
     * another entry, each accepted link resolves inside the root whatever other links it passes through.
     */
    static String symlinkProblem(String relPath, String target) {
        if (target == null || target.isEmpty()) {
            return "its target is empty";
        }
        if (target.indexOf('\0') >= 0 || target.indexOf('\\') >= 0) {
            return "its target contains NUL or a backslash";
        }
        if (target.startsWith("/") || (target.length() >= 2 && target.charAt(1) == ':')) {
            return "its target '" + target + "' is absolute";
        }
        int depth = 0;
        for (int i = 0; i < relPath.length(); i++) {
            if (relPath.charAt(i) == '/') {
                depth++;
            }
        }
        boolean leading = true;
        int up = 0;
        for (String part : target.split("/", -1)) {
            if (part.equals("..")) {
                if (!leading) {
                    return "its target '" + target + "' has '..' after another component";
                }
                up++;
            } else if (!part.isEmpty() && !part.equals(".")) {
                leading = false;
            }
        }
        if (up > depth) {
            return "its target '" + target + "' leaves the archive's root";
        }
        return null;
    }

    /**
     * Why an entry name cannot be extracted, or null if it is safe. Safe names are relative, '/'-separated, with
     * no empty, "." or ".." component, no backslash, no NUL and no drive letter; one trailing '/' marks a directory.
     */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty() || name.equals("/")) {
            return "the name is empty";
        }
        if (name.indexOf('\0') >= 0) {
            return "the name contains NUL";
        }
        if (name.indexOf('\\') >= 0) {
            return "the name contains a backslash";
        }
        if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
            return "the name is absolute";
        }
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String part : n.split("/", -1)) {
            if (part.isEmpty()) {
                return "the name contains an empty component";
            }
            if (part.equals("..")) {
                return "the name contains '..'";
            }
            if (part.equals(".")) {
                return "the name contains a '.' component";
            }
        }
        return null;
    }

    /** Sets the DOS time plus the extended (Unix seconds, for unzip) and NTFS (100 ns) timestamps. */
    static void setMtime(ZipArchiveEntry ze, long mtimeMillis) {
        ze.setTime(mtimeMillis);
        long seconds = Math.floorDiv(mtimeMillis, 1000);
        if (seconds >= Integer.MIN_VALUE && seconds <= Integer.MAX_VALUE) {
            X5455_ExtendedTimestamp ts = new X5455_ExtendedTimestamp();
            ts.setModifyJavaTime(new Date(mtimeMillis));
            ze.addExtraField(ts);
        }
        X000A_NTFS ntfs = new X000A_NTFS();
        ntfs.setModifyJavaTime(new Date(mtimeMillis));
        ze.addExtraField(ntfs);
    }

    /** The entry's modification time: NTFS (ms) if present, else extended timestamp (s), else DOS time. */
    static long mtime(ZipArchiveEntry ze) {
        ZipExtraField f = ze.getExtraField(X000A_NTFS.HEADER_ID);
        if (f instanceof X000A_NTFS ntfs && ntfs.getModifyJavaTime() != null) {
            return ntfs.getModifyJavaTime().getTime();
        }
        f = ze.getExtraField(X5455_ExtendedTimestamp.HEADER_ID);
        if (f instanceof X5455_ExtendedTimestamp ts
                && ts.isBit0_modifyTimePresent()
                && ts.getModifyJavaTime() != null) {
            return ts.getModifyJavaTime().getTime();
        }
        long t = ze.getTime();
        return t < 0 ? 0 : t;
    }
}
