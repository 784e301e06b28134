package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.FileChanges;
import org.openagb.sandbox.internal.ToolArgs.ToolException;

/** The scan behind {@code get_file_change}: every path under a host directory, symlinks not followed. */
final class DirectoryScan {
    /** Paths one scan records at most. */
    static final int MAX_ENTRIES = 100_000;

    private DirectoryScan() {}

    /**
     * Stats of everything under {@code root} (the directory itself excluded), keyed by in-session path ({@code base}
     * + relative path); {@code shown} names the directory in errors.
     */
    static Map<String, FileChanges.Stat> scan(Path root, String base, String shown) {
        Map<String, FileChanges.Stat> scan = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                    if (!dir.equals(root)) {
                        record(dir, a);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    record(file, a);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: not a change
                }

                private void record(Path p, BasicFileAttributes a) {
                    if (scan.size() >= MAX_ENTRIES) {
                        throw new ToolException("Cannot watch '" + shown + "': it holds more than " + MAX_ENTRIES
                                + " entries (watch a smaller directory)");
                    }
                    scan.put(
                            base + "/" + root.relativize(p),
                            new FileChanges.Stat(
                                    a.isDirectory(),
                                    a.isDirectory() ? 0 : a.size(),
                                    a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                                    ctimeNanos(p),
                                    a.fileKey()));
                }
            });
        } catch (IOException e) {
            throw FileTools.failure("watch", shown, e);
        }
        return scan;
    }

    private static long ctimeNanos(Path p) {
        try {
            return ((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).to(TimeUnit.NANOSECONDS);
        } catch (IOException | UnsupportedOperationException e) {
            return 0; // gone meanwhile: the next poll tells
        }
    }
}
