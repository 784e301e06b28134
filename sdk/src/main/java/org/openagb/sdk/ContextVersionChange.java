package org.openagb.sdk;

/**
 * One path that differs between two versions of a context, from {@link ContextService#diffVersions}.
 *
 * @param path the absolute path, such as {@code /home/project/a.txt}
 * @param change what happened to it from the older to the newer version
 * @param fileType {@code file}, {@code folder} or {@code symlink}
 * @param sizeBefore its size in the version compared from; null if it was not there
 * @param sizeAfter its size in the version compared to; null if it is not there
 */
public record ContextVersionChange(String path, Kind change, String fileType, Long sizeBefore, Long sizeAfter) {
    /** What a diff says about a path. */
    public enum Kind {
        /** Only in the version compared to. */
        ADDED,
        /** Only in the version compared from. */
        REMOVED,
        /** In both, with another content, mode, type or link target. */
        CHANGED;

        static Kind fromWire(String name) {
            return switch (name) {
                case "added" -> ADDED;
                case "removed" -> REMOVED;
                default -> CHANGED;
            };
        }
    }

    public ContextVersionChange {
        path = path == null ? "" : path;
        fileType = fileType == null ? "" : fileType;
    }
}
