package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.SandboxException;
import org.openagb.sandbox.SessionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup v1 {@code memory} and {@code pids} groups of one session: {@code <root>/<controller>/<the JVM's own
 * cgroup>/openagb/<session>}. Processes join them from their first instruction through {@link #joinPrefix()}.
 *
 * <p>Thread safe.
 *
 * <p>Why it is this long: cgroup v1 and v2 differ per controller (memory, memsw, pids, cpu), and probing, creating,
 * joining, reading the counters and removing a group must agree on those differences in one place.
 */
public final class SessionCgroups {
    private static final Logger log = LoggerFactory.getLogger(SessionCgroups.class);
    static final String PARENT_NAME = "openagb";

    /**
     * {@code sh -c JOIN openagb-cgroup <procs file>… -- <command…>}: writes the shell's pid into each file, then
     * execs the command, so the command and everything it forks are in the groups.
     */
    private static final String JOIN = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || {"
            + " echo \"openagb: cannot join the session's cgroup $1\" >&2; exit 125; }; shift; done; shift;"
            + " exec \"$@\"";

    /** Which controllers a runtime can use: the {@code openagb} parent group of each, or {@code null}. */
    public record Probe(Path memoryParent, Path pidsParent, Path cpuParent) {
        public boolean memory() {
            return memoryParent != null;
        }

        public boolean cpu() {
            return cpuParent != null;
        }

        public boolean pids() {
            return pidsParent != null;
        }

        /** One line for the log: which mode limits memory and processes. */
        public String describe(SessionLimits limits) {
            String memory = limits.memoryBytes() == 0
                    ? "memory not limited"
                    : memory()
                            ? "memory limited to " + SessionLimits.format(limits.memoryBytes())
                                    + " per session by cgroup v1 (" + memoryParent + ")"
                            : "memory limited to " + SessionLimits.format(limits.memoryBytes())
                                    + " of address space per process by prlimit (no writable cgroup v1 memory"
                                    + " controller)";
            String pids = limits.maxProcesses() == 0
                    ? "processes not limited"
                    : pids()
                            ? "processes limited to " + limits.maxProcesses() + " per session by cgroup v1 ("
                                    + pidsParent + ")"
                            : "processes NOT limited (no writable cgroup v1 pids controller; RLIMIT_NPROC counts per"
                                    + " user id, so it cannot limit one session)";
            String cpu = limits.cpuMillis() == 0
                    ? "CPU not limited"
                    : cpu()
                            ? "CPU limited to " + limits.cpuMillis() / 1000.0 + " per session by cgroup v1 ("
                                    + cpuParent + ")"
                            : "CPU NOT limited (no writable cgroup v1 cpu controller)";
            return memory + "; " + pids + "; " + cpu;
        }
    }

    private final String sessionId;
    private final Path memory;
    private final Path pids;
    private final Path cpu;
    private final boolean memsw;

    private SessionCgroups(String sessionId, Path memory, Path pids, Path cpu, boolean memsw) {
        this.sessionId = sessionId;
        this.memory = memory;
        this.pids = pids;
        this.cpu = cpu;
        this.memsw = memsw;
    }

    /**
     * Finds the writable controllers under {@code root} and creates their {@code openagb} parent groups; removes
     * empty session groups left behind by a JVM that died.
     */
    public static Probe probe(Path root, SessionLimits limits) {
        Path memoryParent = limits.memoryBytes() > 0 ? parent(root, "memory", "memory.limit_in_bytes") : null;
        Path pidsParent = limits.maxProcesses() > 0 ? parent(root, "pids", "pids.max") : null;
        Path cpuParent = limits.cpuMillis() > 0 ? parent(root, "cpu", "cpu.cfs_quota_us") : null;
        return new Probe(memoryParent, pidsParent, cpuParent);
    }

    private static Path parent(Path root, String controller, String controlFile) {
        Path mount = root.resolve(controller);
        if (!Files.isRegularFile(mount.resolve("cgroup.procs"))) {
            return null;
        }
        Path base = mount;
        String own = ownCgroup(controller);
        if (own != null && !own.equals("/")) {
            Path candidate = mount.resolve(own.substring(1));
            if (Files.isRegularFile(candidate.resolve("cgroup.procs"))) {
                base = candidate;
            }
        }
        Path parent = base.resolve(PARENT_NAME);
        try {
            Files.createDirectories(parent);
            // The root group has no control files; a child of a real controller always has them.
            if (!Files.isRegularFile(parent.resolve(controlFile))) {
                return null;
            }
            removeStale(parent);
            Path probe = parent.resolve("probe-" + ProcessHandle.current().pid());
            Files.createDirectories(probe);
            Files.delete(probe);
            removeIfUnused(parent); // created again by the first session; never left behind empty
            return parent;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            log.debug("cgroup v1 {} controller under {} is not writable: {}", controller, mount, e.toString());
            return null;
        }
    }

    /** This JVM's cgroup of {@code controller} from {@code /proc/self/cgroup}, e.g. {@code /system.slice/x}. */
    static String ownCgroup(String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                    return parts[2];
                }
            }
        } catch (IOException e) {
            // No /proc: use the controller's root.
        }
        return null;
    }

    /** rmdir {@code parent} if it has no groups or processes left; harmless if another session still uses it. */
    private static void removeIfUnused(Path parent) {
        try {
            Files.delete(parent);
        } catch (IOException e) {
            // In use.
        }
    }

    /** An empty session group older than this is left over from a dead runtime. */
    static final long STALE_AFTER_MS = 10 * 60 * 1000;

    private static void removeStale(Path parent) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path child : children) {
                try {
                    // Only old empty groups: another runtime on this host may have created this one a moment ago
                    // and not joined it yet (its bwrap is about to).
                    boolean old =
                            Files.getLastModifiedTime(child).toMillis() < System.currentTimeMillis() - STALE_AFTER_MS;
                    if (old && Files.readString(child.resolve("cgroup.procs")).isBlank()) {
                        Files.delete(child); // rmdir; fails harmlessly if the group is in use
                        log.debug("Removed stale session cgroup {}", child);
                    }
                } catch (IOException e) {
                    // In use by another runtime: leave it.
                }
            }
        } catch (IOException e) {
            // Nothing to clean.
        }
    }

    /**
     * Creates the session's groups with {@code limits}.
     *
     * @return {@code null} if neither controller is usable
     * @throws SandboxException if a group cannot be created or configured
     */
    public static SessionCgroups create(Probe probe, String sessionId, SessionLimits limits) {
        if (!probe.memory() && !probe.pids() && !probe.cpu()) {
            return null;
        }
        String name = sessionId.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.startsWith(".")) {
            name = "_" + name.substring(1);
        }
        Path memory = null;
        Path pids = null;
        Path cpu = null;
        boolean memsw = false;
        try {
            if (probe.memory()) {
                memory = createGroup(probe.memoryParent(), name);
                write(memory.resolve("memory.limit_in_bytes"), limits.memoryBytes());
                if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
                    write(memory.resolve("memory.memsw.limit_in_bytes"), limits.memoryBytes());
                    memsw = true;
                }
            }
            if (probe.pids()) {
                pids = createGroup(probe.pidsParent(), name);
                write(pids.resolve("pids.max"), limits.maxProcesses());
            }
            if (probe.cpu()) {
                cpu = createGroup(probe.cpuParent(), name);
                write(cpu.resolve("cpu.cfs_period_us"), CPU_PERIOD_MICROS);
                write(cpu.resolve("cpu.cfs_quota_us"), (long) limits.cpuMillis() * CPU_PERIOD_MICROS / 1000);
            }
        } catch (IOException e) {
            new SessionCgroups(sessionId, memory, pids, cpu, memsw).remove();
            throw new SandboxException("Cannot create the cgroups of session '" + sessionId + "': " + e
                    + " (check that " + probe + " is writable, or set SandboxConfig.cgroupRoot to a directory without"
                    + " controllers to use prlimit instead)");
        }
        return new SessionCgroups(sessionId, memory, pids, cpu, memsw);
    }

    static final long CPU_PERIOD_MICROS = 100_000;

    /** The cpu group, or {@code null} if CPU is not limited by cgroup. */
    public Path cpu() {
        return cpu;
    }

    /** A new group {@code parent/name}, or {@code parent/name-2}, … if one with that name is in use. */
    private static Path createGroup(Path parent, String name) throws IOException {
        int parentRemoved = 0;
        for (int i = 1; ; i++) {
            Path dir = parent.resolve(i == 1 ? name : name + "-" + i);
            try {
                Files.createDirectories(parent);
                Files.createDirectory(dir);
                return dir;
            } catch (java.nio.file.NoSuchFileException e) {
                // Another session removed the unused parent meanwhile: create it again.
                if (++parentRemoved > 10) {
                    throw e;
                }
                i--;
            } catch (FileAlreadyExistsException e) {
                try {
                    if (Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
                        Files.delete(dir);
                        Files.createDirectory(dir);
                        return dir;
                    }
                } catch (IOException busy) {
                    // In use: try the next name.
                }
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value), StandardCharsets.US_ASCII);
    }

    /** The memory group, or {@code null} if memory is not limited by cgroup. */
    public Path memory() {
        return memory;
    }

    /** The pids group, or {@code null} if processes are not limited by cgroup. */
    public Path pids() {
        return pids;
    }

    /** {@code /bin/sh -c … --}: prepend to a command line so that it runs in the session's groups. */
    public List<String> joinPrefix() {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", JOIN, "openagb-cgroup"));
        if (memory != null) {
            cmd.add(memory.resolve("cgroup.procs").toString());
        }
        if (pids != null) {
            cmd.add(pids.resolve("cgroup.procs").toString());
        }
        if (cpu != null) {
            cmd.add(cpu.resolve("cgroup.procs").toString());
        }
        cmd.add("--");
        return cmd;
    }

    /** The counters that tell why a command failed; compare two with {@link Counters#since}. */
    public Counters counters() {
        long oomKills = -1;
        long underOom = 0;
        long failcnt = -1;
        if (memory != null) {
            try {
                for (String line : Files.readAllLines(memory.resolve("memory.oom_control"))) {
                    String[] kv = line.trim().split("\\s+");
                    if (kv.length == 2 && kv[0].equals("oom_kill")) {
                        oomKills = Long.parseLong(kv[1]);
                    } else if (kv.length == 2 && kv[0].equals("under_oom")) {
                        underOom = Long.parseLong(kv[1]);
                    }
                }
                failcnt = Long.parseLong(
                        Files.readString(memory.resolve(memsw ? "memory.memsw.failcnt" : "memory.failcnt"))
                                .trim());
            } catch (IOException | RuntimeException e) {
                // Removed meanwhile.
            }
        }
        long pidsMax = -1;
        if (pids != null) {
            try {
                for (String line : Files.readAllLines(pids.resolve("pids.events"))) {
                    String[] kv = line.trim().split("\\s+");
                    if (kv.length == 2 && kv[0].equals("max")) {
                        pidsMax = Long.parseLong(kv[1]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Removed meanwhile.
            }
        }
        return new Counters(oomKills, underOom != 0, failcnt, pidsMax);
    }

    /**
     * Snapshot of the limit counters.
     *
     * @param oomKills {@code oom_kill} of {@code memory.oom_control} (-1 if the kernel has none)
     * @param underOom whether the group is out of memory right now
     * @param memoryFailures {@code memory.failcnt}: how often usage hit the limit
     * @param forkFailures the {@code max} counter of {@code pids.events}: forks refused by {@code pids.max}
     */
    public record Counters(long oomKills, boolean underOom, long memoryFailures, long forkFailures) {
        /**
         * Whether the memory limit killed a process between {@code before} and this snapshot; {@code killed} says
         * whether the watched process died by SIGKILL (used when the kernel has no {@code oom_kill} counter).
         */
        public boolean oomKilledSince(Counters before, boolean killed) {
            if (oomKills >= 0 && before.oomKills >= 0) {
                return oomKills > before.oomKills;
            }
            return killed && (underOom || memoryFailures > before.memoryFailures);
        }

        public boolean forkRefusedSince(Counters before) {
            return forkFailures > before.forkFailures && before.forkFailures >= 0;
        }
    }

    /**
     * Removes the groups once their processes are gone, killing any left (they are this session's). Waits up to
     * a few seconds; logs if a group stays.
     */
    public void remove() {
        for (Path group : new Path[] {memory, pids, cpu}) {
            if (group == null) {
                continue;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.isDirectory(group)) {
                try {
                    Files.delete(group);
                    break;
                } catch (IOException e) {
                    if (!Files.isDirectory(group)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        log.warn(
                                "Cannot remove cgroup {} of session {}: {} (processes: {})",
                                group,
                                sessionId,
                                e.toString(),
                                procs(group));
                        break;
                    }
                    for (long pid : procs(group)) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                    sleep(10);
                }
            }
            removeIfUnused(group.getParent());
        }
    }

    private static List<Long> procs(Path group) {
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone.
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "SessionCgroups[%s, memory %s, pids %s, cpu %s]", sessionId, memory, pids, cpu);
    }
}
