package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bwrap arguments that build a session's read-only root on an empty tmpfs: never the host's whole root.
 *
 * <p>For the embedded default image (root {@code /}), only the host's system directories ({@code /usr}, and
 * {@code /bin}, {@code /sbin}, {@code /lib*} or their merged-usr symlinks) and an allow-list of {@code /etc} entries;
 * for an image's root filesystem, each of its top-level entries. {@code passwd}, {@code group}, {@code hosts},
 * {@code hostname} (and {@code resolv.conf} with network) are generated per session. Pure: reads only the directory
 * listings. Thread safe (stateless).
 */
public final class RootView {
    /** Host system directories shown by the embedded default image. */
    static final List<String> SYSTEM_DIRS = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32");

    /**
     * {@code /etc} entries of the host shown by the embedded default image: what programs need to run (dynamic
     * linker, certificates, time zone, alternatives, interpreter and JDK configuration), nothing that names the
     * host's users, secrets or services. A trailing {@code *} matches a prefix.
     */
    public static final List<String> ETC_ALLOW_LIST = List.of(
            "alternatives",
            "bash.bashrc",
            "ca-certificates",
            "ca-certificates.conf",
            "debian_version",
            "environment",
            "fonts",
            "gai.conf",
            "host.conf",
            "inputrc",
            "java-*",
            "ld.so.cache",
            "ld.so.conf",
            "ld.so.conf.d",
            "locale.alias",
            "localtime",
            "lsb-release",
            "magic",
            "magic.mime",
            "mailcap",
            "matplotlibrc",
            "mime.types",
            "nsswitch.conf",
            "os-release",
            "pki",
            "profile",
            "profile.d",
            "protocols",
            "python3*",
            "R",
            "services",
            "shells",
            "ssl",
            "terminfo",
            "timezone",
            "xdg");

    /** Files of {@code /etc} generated for each session. */
    static final List<String> GENERATED = List.of("passwd", "group", "hosts", "hostname", "resolv.conf");

    /** Top-level entries of an image that the sandbox supplies itself. */
    private static final Set<String> SUPPLIED = Set.of("proc", "sys", "dev", "run", "tmp", ".openagb");

    private RootView() {}

    /**
     * @param imageRoot {@code /} for the embedded default, else an image's unpacked root filesystem
     * @param etcDir host directory holding the generated {@code /etc} files that exist in it
     * @param writableRoots the session's writable roots (bound separately, after this view)
     * @param etcView the embedded image's {@code /etc} prepared once by {@link SandboxHost} (bound as one directory,
     *     with placeholders for the generated files), or {@code null} to bind each allow-listed entry
     */
    static List<String> arguments(Path imageRoot, Path etcDir, List<String> writableRoots, Path etcView) {
        List<String> args = new ArrayList<>();
        boolean embedded = imageRoot.equals(Path.of("/"));
        Set<String> writableTops = new TreeSet<>();
        for (String root : writableRoots) {
            writableTops.add(Path.of(root).getName(0).toString());
        }
        if (embedded) {
            for (String name : SYSTEM_DIRS) {
                entry(args, Path.of("/").resolve(name), "/" + name);
            }
            if (etcView != null) {
                args.addAll(List.of("--ro-bind", etcView.toString(), "/etc"));
            } else {
                args.addAll(List.of("--perms", "0755", "--dir", "/etc"));
                for (String name : etcEntries(Path.of("/etc"))) {
                    entry(args, Path.of("/etc", name), "/etc/" + name);
                }
            }
        } else {
            for (String name : list(imageRoot)) {
                if (SUPPLIED.contains(name) || (writableTops.contains(name) && writableRoots.contains("/" + name))) {
                    continue;
                }
                entry(args, imageRoot.resolve(name), "/" + name);
            }
        }
        for (String name : GENERATED) {
            Path generated = etcDir.resolve(name);
            if (!Files.exists(generated, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path inImage = embedded ? null : imageRoot.resolve("etc").resolve(name);
            if (embedded || Files.exists(inImage, LinkOption.NOFOLLOW_LINKS)) {
                args.addAll(List.of("--ro-bind", generated.toString(), "/etc/" + name));
            }
        }
        // Parents of writable roots that the view does not provide (e.g. /var for /var/tmp) are made 0755.
        for (String root : writableRoots) {
            Path parent = Path.of(root).getParent();
            List<String> parents = new ArrayList<>();
            for (Path p = parent; p != null && p.getNameCount() > 0; p = p.getParent()) {
                parents.add(0, p.toString());
            }
            for (String p : parents) {
                boolean provided = embedded
                        ? false
                        : Files.isDirectory(imageRoot.resolve(p.substring(1)), LinkOption.NOFOLLOW_LINKS);
                if (!provided && !args.contains(p)) {
                    args.addAll(List.of("--perms", "0755", "--dir", p));
                }
            }
        }
        return args;
    }

    /** The allow-listed entries present in {@code etc}, sorted. */
    static List<String> etcEntries(Path etc) {
        List<String> out = new ArrayList<>();
        for (String name : list(etc)) {
            if (GENERATED.contains(name)) {
                continue;
            }
            for (String pattern : ETC_ALLOW_LIST) {
                boolean match = pattern.endsWith("*")
                        ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                        : name.equals(pattern);
                if (match) {
                    out.add(name);
                    break;
                }
            }
        }
        return out;
    }

    private static void entry(List<String> args, Path host, String target) {
        try {
            if (Files.isSymbolicLink(host)) {
                args.addAll(List.of("--symlink", Files.readSymbolicLink(host).toString(), target));
            } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)
                    || Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
                args.addAll(List.of("--ro-bind", host.toString(), target));
            }
        } catch (IOException e) {
            // An entry that vanished or cannot be read is left out of the view.
        }
    }

    private static List<String> list(Path dir) {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(names);
    }
}
