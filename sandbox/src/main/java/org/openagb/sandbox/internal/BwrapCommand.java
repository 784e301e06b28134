package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openagb.sandbox.SandboxConfig;
import org.openagb.sandbox.SandboxException;
import org.openagb.sandbox.SandboxSpec;
import org.openagb.sandbox.SessionFiles;

/**
 * The bwrap command line of a session's sandbox, built from its configuration, spec and prepared paths. Pure but for
 * the directory listings {@link RootView} reads; thread safe (stateless).
 */
final class BwrapCommand {
    private BwrapCommand() {}

    /**
     * The bwrap command line: an empty tmpfs root made read-only at the end, the image's view on it ({@link RootView}),
     * a private {@code /proc} and minimal {@code /dev}, the writable roots bound from {@code source}, the helper at
     * {@value SandboxHost#HELPER_IN_SANDBOX}; every namespace unshared, no further user namespaces.
     */
    static List<String> arguments(
            SandboxConfig config, SandboxSpec spec, SessionFiles files, Path source, Path imageView, SandboxHost host) {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.bwrap().toString());
        cmd.addAll(List.of("--unshare-all", "--unshare-user", "--uid", "0", "--gid", "0", "--disable-userns"));
        if (config.limits().network()) {
            cmd.add("--share-net");
        }
        Path etcDir = source.resolve(SessionEtc.DIRECTORY);
        cmd.addAll(RootView.arguments(imageView, etcDir, config.writableRoots(), host.etcView()));
        for (Path hidden : hiddenPaths(spec.hiddenDir(), config.writableRoots())) {
            if (spec.imageRoot().equals(Path.of("/")) && visibleInSystemView(hidden)) {
                cmd.addAll(List.of("--tmpfs", hidden.toString()));
            }
        }
        cmd.addAll(
                List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(64L << 20), "--tmpfs", "/dev/shm"));
        for (String root : config.writableRoots()) {
            Path hostRoot = files.hostRoot(root);
            cmd.addAll(List.of(
                    "--bind", source.resolve(hostRoot.getFileName().toString()).toString(), root));
        }
        cmd.addAll(List.of("--perms", "0755", "--dir", "/.openagb"));
        cmd.addAll(List.of("--ro-bind", host.helper().toString(), SandboxHost.HELPER_IN_SANDBOX));
        cmd.addAll(List.of("--remount-ro", "/"));
        cmd.addAll(List.of(
                "--chdir",
                "/",
                "--hostname",
                hostname(spec.sessionId()),
                "--die-with-parent",
                "--new-session",
                "--info-fd",
                "1",
                "--",
                SandboxHost.HELPER_IN_SANDBOX,
                "/",
                "--idle"));
        return cmd;
    }

    private static boolean visibleInSystemView(Path hidden) {
        if (hidden.getNameCount() == 0) {
            return false;
        }
        String top = hidden.getName(0).toString();
        return RootView.SYSTEM_DIRS.contains(top) || top.equals("etc");
    }

    /**
     * The host paths to cover with an empty tmpfs so the sandbox cannot see {@code hiddenDir}: the path as given and
     * its real path, unless it already lies under a writable root (which the sandbox sees replaced).
     */
    static List<Path> hiddenPaths(Path hiddenDir, List<String> writableRoots) {
        List<Path> out = new ArrayList<>();
        if (hiddenDir == null || !Files.isDirectory(hiddenDir)) {
            return out;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(hiddenDir);
        try {
            candidates.add(hiddenDir.toRealPath());
        } catch (IOException e) {
            // Keep the given path only.
        }
        for (Path candidate : candidates) {
            if (candidate.getParent() == null) {
                throw new SandboxException("Cannot hide directory '" + hiddenDir
                        + "' from sessions: it is the root directory (put the data directory elsewhere)");
            }
            boolean underRoot = writableRoots.stream().anyMatch(r -> candidate.startsWith(Path.of(r)));
            if (!underRoot && !out.contains(candidate)) {
                out.add(candidate);
            }
        }
        return out;
    }

    static String hostname(String sessionId) {
        String name = sessionId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        name = name.replaceAll("^-+", "");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        name = name.replaceAll("-+$", "");
        return name.isEmpty() ? "sandbox" : name;
    }
}
