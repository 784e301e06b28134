package org.openagb.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory is the server's alone: the directory 0700, every file directly in it (database, keys, node id)
 * 0600, its subdirectories 0700. Sessions never see it; this keeps other host users out too.
 */
final class DataDirPermissions {
    private DataDirPermissions() {}

    /** Creates the data directory if needed and makes it 0700. */
    static void restrictDirectory(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "Cannot use data directory '" + dataDir + "': " + e.getMessage() + " (give a writable directory)",
                    e);
        }
    }

    /** Files directly in the data directory become 0600 and directories 0700; symlinks are left alone. */
    static void restrictContents(Path dataDir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-------"));
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "Cannot restrict the permissions of data directory '" + dataDir + "': " + e.getMessage(), e);
        }
    }
}
