package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openagb.sandbox.SandboxConfig;
import org.openagb.sandbox.SandboxException;
import org.openagb.sandbox.SandboxSpec;

/**
 * The {@code /etc} files generated for each session ({@code passwd}, {@code group}, {@code hosts}, {@code hostname},
 * and {@code resolv.conf} with network), kept in its session directory where the session cannot reach them and bound
 * read-only over the image's. Thread safe (stateless).
 */
final class SessionEtc {
    private SessionEtc() {}

    /** Host directory (in the session directory, invisible to the session) of its generated {@code /etc} files. */
    static final String DIRECTORY = ".etc";

    /** passwd, group, hosts, hostname (and resolv.conf with network) for the session, root-owned, world-readable. */
    static void write(SandboxSpec spec, SandboxConfig config) {
        Path dir = spec.sessionDir().resolve(DIRECTORY);
        String host = BwrapCommand.hostname(spec.sessionId());
        String home = config.defaultCwd();
        try {
            if (Files.isSymbolicLink(dir)) {
                Files.delete(dir);
            }
            Files.createDirectories(dir);
            Map<String, String> files = new java.util.LinkedHashMap<>();
            files.put(
                    "passwd",
                    "root:x:0:0:root:" + home + ":/bin/sh\n"
                            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            files.put("group", "root:x:0:\nnogroup:x:65534:\n");
            files.put("hosts", hostsFile(host));
            files.put("hostname", host + "\n");
            if (config.limits().network()) {
                Path resolv = Path.of("/etc/resolv.conf");
                files.put("resolv.conf", Files.isReadable(resolv) ? Files.readString(resolv) : "");
            }
            for (var file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.deleteIfExists(target);
                Files.writeString(
                        target, file.getValue(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                Files.setPosixFilePermissions(
                        target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot write the /etc files of session '" + spec.sessionId() + "': " + e.getMessage(), e);
        }
    }

    static String hostsFile(String host) {
        return "127.0.0.1\tlocalhost\n127.0.1.1\t" + host + "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    }

    /** Rewrites {@code hostname} and {@code hosts} in place (a running sandbox has these very files bound). */
    static void rename(Path sessionDir, String host) throws IOException {
        Path dir = sessionDir.resolve(DIRECTORY);
        Files.writeString(
                dir.resolve("hostname"),
                host + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE);
        Files.writeString(
                dir.resolve("hosts"),
                hostsFile(host),
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE);
    }
}
