package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.SandboxException;

/**
 * Bind mounts on the host: the only mounts the server makes are the per-session ones of {@link SandboxHost} and
 * {@link SessionDisk}. Through {@link Syscalls} (mount(2), microseconds), else util-linux {@code mount}/{@code umount}.
 * Thread safe (stateless).
 */
public final class Mounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private Mounts() {}

    /** Binds {@code source} on {@code target} (both existing directories). */
    static void bind(Path source, Path target) {
        if (Syscalls.available()) {
            syscall(() -> Syscalls.mount(source.toString(), target.toString(), null, Syscalls.MS_BIND));
            return;
        }
        run("mount", "--bind", "--", source.toString(), target.toString());
    }

    private interface Call {
        void run() throws IOException;
    }

    private static void syscall(Call call) {
        try {
            call.run();
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot " + e.getMessage() + " (the server needs root and Linux 5.10+ for its session mounts)");
        }
    }

    private static void remount(Path target, long flags, String options) {
        if (Syscalls.available()) {
            syscall(() ->
                    Syscalls.mount(null, target.toString(), null, Syscalls.MS_REMOUNT | Syscalls.MS_BIND | flags));
            return;
        }
        run("mount", "-o", "remount,bind," + options, "--", target.toString());
    }

    /** Binds {@code source} on {@code target} read-only, {@code nosuid,nodev}. */
    static void bindReadOnly(Path source, Path target) {
        bind(source, target);
        try {
            remount(target, Syscalls.MS_RDONLY | Syscalls.MS_NOSUID | Syscalls.MS_NODEV, "ro,nosuid,nodev");
        } catch (SandboxException e) {
            unmount(target);
            throw e;
        }
    }

    /**
     * Binds {@code dir} on itself with {@code nosymfollow,nosuid,nodev}: below it, no path the server resolves follows
     * a symlink, whatever a session swaps in (Linux 5.10+).
     */
    static void bindNoSymlinks(Path dir) {
        bind(dir, dir);
        try {
            remount(dir, Syscalls.MS_NOSYMFOLLOW | Syscalls.MS_NOSUID | Syscalls.MS_NODEV, "nosymfollow,nosuid,nodev");
        } catch (SandboxException e) {
            unmount(dir);
            throw e;
        }
    }

    /** Lazily unmounts every mount at or below {@code dir}, deepest first; does nothing if none. */
    public static void unmountAll(Path dir) {
        List<Path> mounted = mountedAtOrBelow(dir);
        for (int i = mounted.size() - 1; i >= 0; i--) {
            unmount(mounted.get(i));
        }
    }

    /** Whether anything is mounted at or below {@code dir}. */
    public static boolean anyAtOrBelow(Path dir) {
        return !mountedAtOrBelow(dir).isEmpty();
    }

    /** Lazily unmounts the topmost mount at {@code target}. */
    static void unmount(Path target) {
        if (Syscalls.available()) {
            syscall(() -> Syscalls.umount(target.toString(), Syscalls.MNT_DETACH));
            return;
        }
        run("umount", "-l", "--", target.toString());
    }

    /** Mount points at or below {@code dir}, in mount order (a mount stacked on the same path appears again). */
    static List<Path> mountedAtOrBelow(Path dir) {
        Path normal = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return out;
        }
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            Path point = Path.of(unescape(fields[4]));
            if (point.startsWith(normal)) {
                out.add(point);
            }
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as {@code \ooo}. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                String octal = field.substring(i + 1, i + 4);
                if (octal.chars().allMatch(d -> d >= '0' && d <= '7')) {
                    out.append((char) Integer.parseInt(octal, 8));
                    i += 3;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static void run(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SandboxException("Cannot run '" + String.join(" ", command) + "': timed out after 30 s");
            }
            if (process.exitValue() != 0) {
                throw new SandboxException("Cannot run '" + String.join(" ", command) + "': "
                        + new String(output, StandardCharsets.UTF_8).strip() + " (exit code " + process.exitValue()
                        + "; the server needs root and Linux 5.10+ for its session mounts)");
            }
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot run '" + command[0] + "': " + e.getMessage() + " (install util-linux)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Cannot run '" + String.join(" ", command) + "': interrupted", e);
        }
    }
}
