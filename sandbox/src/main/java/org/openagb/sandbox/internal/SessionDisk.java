package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.SandboxException;

/**
 * A hard disk quota: the session's directory is its own ext4 filesystem, in a sparse image file next to it
 * ({@code <session>/fs.disk.img}, loop-mounted {@code nosuid,nodev,discard} on {@code <session>/fs}), exactly the quota's
 * size. Neither the session's commands nor the server's writes into it (downloads, archive extraction, file tools)
 * can go past it: they get "No space left on device". Only as root; the image outlives the sandbox (the release
 * uploads from it; a closed sandbox's disk is mounted again by {@link #attachIfPresent}) and goes with the session's directory. Thread safe (stateless).
 */
public final class SessionDisk {
    /** The image of session directory {@code fsDir}: {@code <fsDir>.disk.img} beside it. */
    static Path image(Path fsDir) {
        return fsDir.resolveSibling(fsDir.getFileName() + ".disk.img");
    }
    /** ext4's smallest useful size; smaller quotas get this much (the soft quota still applies on top). */
    static final long MIN_BYTES = 1L << 20;

    private static final Path MKFS = findMkfs();

    private SessionDisk() {}

    /** Whether hard quotas are possible here: root, {@code mkfs.ext4} and loop devices. */
    static boolean available() {
        return MKFS != null
                && SandboxHost.effectiveUid() == 0
                && Files.exists(Path.of("/dev/loop-control"))
                && Syscalls.available();
    }

    /**
     * Makes {@code fsDir} the session's own filesystem of {@code bytes}: creates the image unless it exists (a session
     * restarted after a crash keeps its files), then mounts it. {@code fsDir} must be empty or not exist.
     *
     * <p>A new image is a sparse copy of a template formatted once per size ({@code .disk-template-<bytes>.img} beside
     * the session directories): copying its few MiB of metadata and mounting through {@link Syscalls} takes a few
     * milliseconds, where {@code mkfs} and {@code mount -o loop} take about 30.
     */
    static void attach(Path fsDir, long bytes) {
        Path image = image(fsDir);
        long size = Math.max(bytes, MIN_BYTES);
        try {
            Files.createDirectories(fsDir);
            if (!Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
                Path template = template(fsDir.getParent().getParent(), size);
                copySparse(template, image, size);
            }
            mountImage(image, fsDir);
            // A fresh ext4 has lost+found; the session's roots are its only entries.
            Path lostFound = fsDir.resolve("lost+found");
            if (Files.isDirectory(lostFound, LinkOption.NOFOLLOW_LINKS)) {
                try (var entries = Files.list(lostFound)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(lostFound);
                    }
                }
            }
        } catch (IOException e) {
            throw new SandboxException("Cannot create the disk of session directory '" + fsDir + "' (" + bytes
                    + " bytes): " + e.getMessage() + " (set the disk quota to 0 to run without a hard quota)");
        }
    }

    private static final Object TEMPLATES = new Object();

    /** The formatted, empty template image of {@code size} bytes under {@code root}, made once. */
    private static Path template(Path root, long size) throws IOException {
        Path template = root.resolve(".disk-template-" + size + ".img");
        synchronized (TEMPLATES) {
            if (Files.isRegularFile(template, LinkOption.NOFOLLOW_LINKS)) {
                return template;
            }
            Files.createDirectories(root);
            Path temp = root.resolve(".disk-template-" + size + ".img.tmp-"
                    + ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            try (var file = new java.io.RandomAccessFile(temp.toFile(), "rw")) {
                file.setLength(size);
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            run(List.of(
                    MKFS.toString(),
                    "-q",
                    "-F",
                    "-m",
                    "0",
                    "-E",
                    "lazy_itable_init=1,lazy_journal_init=1",
                    "-O",
                    // No journal (the image is thrown away with the session) and no blocks reserved for online
                    // resizing: the template then holds about 200 KiB of data to copy.
                    "^has_journal,^resize_inode",
                    temp.toString()));
            Files.move(temp, template, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return template;
        }
    }

    /** Copies the data extents of {@code from} into a new sparse {@code to} of {@code size} bytes. */
    private static void copySparse(Path from, Path to, long size) throws IOException {
        try (var out = java.nio.channels.FileChannel.open(
                        to,
                        java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                var in = java.nio.channels.FileChannel.open(from, StandardOpenOption.READ)) {
            if (!Syscalls.available()) {
                out.close();
                Files.delete(to);
                run(List.of("cp", "--sparse=always", from.toString(), to.toString()));
                return;
            }
            int fd = Syscalls.open(from.toString(), 0);
            try {
                long position = 0;
                while (position < size) {
                    long data = Syscalls.lseek(fd, position, Syscalls.SEEK_DATA);
                    if (data < 0) {
                        break;
                    }
                    long hole = Syscalls.lseek(fd, data, Syscalls.SEEK_HOLE);
                    if (hole < 0) {
                        hole = size;
                    }
                    for (long at = data; at < hole; ) {
                        out.position(at);
                        at += in.transferTo(at, hole - at, out);
                    }
                    position = hole;
                }
            } finally {
                Syscalls.close(fd);
            }
            if (out.size() < size) {
                out.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
            }
        }
    }

    private static void mountImage(Path image, Path fsDir) throws IOException {
        long flags = Syscalls.MS_NOSUID | Syscalls.MS_NODEV;
        if (Syscalls.available()) {
            Syscalls.mountImage(image.toString(), fsDir.toString(), flags, "discard");
        } else {
            run(List.of("mount", "-o", "loop,nosuid,nodev,discard", "--", image.toString(), fsDir.toString()));
        }
    }

    /**
     * Mounts the image of {@code fsDir} if it has one and it is not mounted (after a reboot, before a release uploads
     * what the session wrote). Does nothing otherwise.
     */
    public static void attachIfPresent(Path fsDir) {
        Path image = image(fsDir);
        if (MKFS == null || !Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS) || Mounts.anyAtOrBelow(fsDir)) {
            return;
        }
        try {
            Files.createDirectories(fsDir);
            mountImage(image, fsDir);
        } catch (IOException e) {
            throw new SandboxException("Cannot mount the disk of session directory '" + fsDir + "': " + e.getMessage());
        }
    }

    private static Path findMkfs() {
        for (String candidate : List.of("/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4", "/usr/sbin/mke2fs", "/sbin/mke2fs")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
