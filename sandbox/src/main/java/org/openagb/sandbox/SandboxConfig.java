package org.openagb.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of {@link BubblewrapSandboxRuntime}, in one place.
 *
 * @param bwrap host path of the bubblewrap executable
 * @param nsenter host path of util-linux {@code nsenter}
 * @param writableRoots absolute directories of the image that each session gets its own writable copy of; the first
 *     one is the default working directory and {@code HOME}. They must exist in the image and not nest.
 * @param baseEnv environment of every command ({@code PATH}, {@code HOME}, {@code LANG}, {@code TERM}); a call's
 *     variables are added on top
 * @param outputCapBytes default maximum bytes kept of a command's stdout and of its stderr
 * @param startTimeout how long starting a sandbox may take
 * @param runtimes per {@code run_code} language ({@code python}, {@code javascript}, {@code java}, {@code r}), the
 *     interpreters to try, in order, inside the sandbox: names looked up on the sandbox's {@code PATH} or absolute
 *     paths. The first one present is used, except for {@code python}, where the first one that can import IPython
 *     wins (rich display output) and the first one present is the fallback. See {@link #defaultRuntimes()}.
 * @param limits resource limits of every session ({@link SessionLimits#defaults()}: 2 GiB memory, 256 processes,
 *     10 GiB disk, no network)
 * @param cgroupRoot where the cgroup v1 controllers are mounted ({@code /sys/fs/cgroup}, holding {@code memory} and
 *     {@code pids}); each session gets {@code <controller>/<the JVM's own cgroup>/openagb/<session>}. When a
 *     controller there is missing or not writable, memory falls back to {@code prlimit} and processes are not
 *     limited (see {@link SessionLimits}); point it at a directory without controllers to force that.
 */
public record SandboxConfig(
        Path bwrap,
        Path nsenter,
        List<String> writableRoots,
        Map<String, String> baseEnv,
        int outputCapBytes,
        Duration startTimeout,
        Map<String, List<String>> runtimes,
        SessionLimits limits,
        Path cgroupRoot) {

    public static final Path DEFAULT_CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    public static final List<String> DEFAULT_WRITABLE_ROOTS = List.of("/home", "/tmp", "/var/tmp");
    public static final int DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

    public SandboxConfig {
        Objects.requireNonNull(bwrap, "bwrap");
        Objects.requireNonNull(nsenter, "nsenter");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(runtimes, "runtimes");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        runtimes.forEach((language, commands) -> copy.put(language, List.copyOf(commands)));
        runtimes = java.util.Collections.unmodifiableMap(copy);
        writableRoots = List.copyOf(writableRoots);
        baseEnv = Map.copyOf(baseEnv);
        if (writableRoots.isEmpty()) {
            throw new IllegalArgumentException("writableRoots must not be empty (default: /home, /tmp, /var/tmp)");
        }
        List<String> seen = new ArrayList<>();
        for (String root : writableRoots) {
            if (!root.startsWith("/")
                    || root.equals("/")
                    || !Path.of(root).normalize().toString().equals(root)
                    || root.endsWith("/")) {
                throw new IllegalArgumentException("writable root '" + root
                        + "' must be an absolute, normalised directory other than / (e.g. /home)");
            }
            for (String other : seen) {
                if (Path.of(root).startsWith(other) || Path.of(other).startsWith(root)) {
                    throw new IllegalArgumentException(
                            "writable roots '" + other + "' and '" + root + "' nest (give disjoint directories)");
                }
            }
            seen.add(root);
        }
        if (outputCapBytes <= 0) {
            throw new IllegalArgumentException("outputCapBytes (" + outputCapBytes + ") must be > 0");
        }
    }

    /** A configuration with {@link SessionLimits#defaults()} and cgroups under {@code /sys/fs/cgroup}. */
    public SandboxConfig(
            Path bwrap,
            Path nsenter,
            List<String> writableRoots,
            Map<String, String> baseEnv,
            int outputCapBytes,
            Duration startTimeout,
            Map<String, List<String>> runtimes) {
        this(
                bwrap,
                nsenter,
                writableRoots,
                baseEnv,
                outputCapBytes,
                startTimeout,
                runtimes,
                SessionLimits.defaults(),
                DEFAULT_CGROUP_ROOT);
    }

    /** A configuration with {@link #defaultRuntimes()} and {@link SessionLimits#defaults()}. */
    public SandboxConfig(
            Path bwrap,
            Path nsenter,
            List<String> writableRoots,
            Map<String, String> baseEnv,
            int outputCapBytes,
            Duration startTimeout) {
        this(bwrap, nsenter, writableRoots, baseEnv, outputCapBytes, startTimeout, defaultRuntimes());
    }

    /**
     * The defaults: bwrap and nsenter from the system directories, roots {@code /home, /tmp, /var/tmp}, 1 MiB output cap,
     * {@link SessionLimits#defaults()}.
     */
    public static SandboxConfig defaults() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", DEFAULT_WRITABLE_ROOTS.get(0));
        env.put("LANG", "C.UTF-8");
        env.put("TERM", "dumb");
        return new SandboxConfig(
                findExecutable("bwrap"),
                findExecutable("nsenter"),
                DEFAULT_WRITABLE_ROOTS,
                env,
                DEFAULT_OUTPUT_CAP_BYTES,
                Duration.ofSeconds(10));
    }

    public SandboxConfig withWritableRoots(List<String> roots) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        if (!roots.isEmpty()) {
            env.put("HOME", roots.get(0));
        }
        return new SandboxConfig(
                bwrap, nsenter, roots, env, outputCapBytes, startTimeout, runtimes, limits, cgroupRoot);
    }

    public SandboxConfig withBwrap(Path path) {
        return new SandboxConfig(
                path, nsenter, writableRoots, baseEnv, outputCapBytes, startTimeout, runtimes, limits, cgroupRoot);
    }

    public SandboxConfig withOutputCapBytes(int bytes) {
        return new SandboxConfig(
                bwrap, nsenter, writableRoots, baseEnv, bytes, startTimeout, runtimes, limits, cgroupRoot);
    }

    /** This configuration with {@code language}'s interpreters replaced by {@code commands}. */
    public SandboxConfig withRuntime(String language, List<String> commands) {
        Map<String, List<String>> copy = new LinkedHashMap<>(runtimes);
        copy.put(language, commands);
        return new SandboxConfig(
                bwrap, nsenter, writableRoots, baseEnv, outputCapBytes, startTimeout, copy, limits, cgroupRoot);
    }

    /** This configuration with other resource limits per session. */
    public SandboxConfig withLimits(SessionLimits newLimits) {
        return new SandboxConfig(
                bwrap, nsenter, writableRoots, baseEnv, outputCapBytes, startTimeout, runtimes, newLimits, cgroupRoot);
    }

    /** This configuration with the cgroup v1 controllers looked for under {@code root}. */
    public SandboxConfig withCgroupRoot(Path root) {
        return new SandboxConfig(
                bwrap, nsenter, writableRoots, baseEnv, outputCapBytes, startTimeout, runtimes, limits, root);
    }

    /**
     * The interpreters {@code run_code} tries by default, looked up inside the sandbox (so in the image, never in the
     * host's home directories): {@code python3}; {@code node} or {@code nodejs}; {@code java} (a JDK with the
     * {@code jdk.jshell} module); {@code Rscript}.
     */
    public static Map<String, List<String>> defaultRuntimes() {
        Map<String, List<String>> runtimes = new LinkedHashMap<>();
        runtimes.put("python", List.of("python3"));
        runtimes.put("javascript", List.of("node", "nodejs"));
        runtimes.put("java", List.of("java"));
        runtimes.put("r", List.of("Rscript"));
        return runtimes;
    }

    /** Working directory of a command that names none: the first writable root. */
    public String defaultCwd() {
        return writableRoots.get(0);
    }

    /**
     * The host tool {@code name} from the system directories only: the server runs these as root, so the caller's
     * {@code PATH} has no say in which binary that is.
     */
    private static Path findExecutable(String name) {
        List<String> dirs = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("/usr/bin", name);
    }
}
