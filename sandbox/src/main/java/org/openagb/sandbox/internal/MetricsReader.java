package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openagb.sandbox.SessionLimits;
import org.openagb.sandbox.SessionMetrics;

/**
 * Measures one session ({@link SessionMetrics}) from the host: its processes' CPU time in {@code /proc} over a short
 * sample, its memory cgroup, its disk meter, and {@code /proc/<init>/net/dev} (the session's own network namespace).
 * Keeps the previous network counters to give rates. Thread-safe.
 */
public final class MetricsReader {
    /** How long CPU use is sampled for. */
    static final long CPU_SAMPLE_MS = 200;
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long initPid;
    private final SessionLimits limits;
    private final SessionCgroups cgroups;
    private final DiskMeter disk;
    private final Path diskRoot;
    private final Clock clock;
    private NetSample lastNet;

    private record NetSample(long rxBytes, long txBytes, long atMillis) {}

    public MetricsReader(
            long initPid, SessionLimits limits, SessionCgroups cgroups, DiskMeter disk, Path diskRoot, Clock clock) {
        this.initPid = initPid;
        this.limits = limits;
        this.cgroups = cgroups;
        this.disk = disk;
        this.diskRoot = diskRoot;
        this.clock = clock;
    }

    public SessionMetrics read() {
        int hostCpus = Runtime.getRuntime().availableProcessors();
        int cpus = limits.cpuMillis() > 0
                ? (int) Math.max(1, Math.min(hostCpus, (limits.cpuMillis() + 999) / 1000))
                : hostCpus;
        double cpuPercent = cpuPercent(cpus);
        long memTotal = limits.memoryBytes() > 0 ? limits.memoryBytes() : hostMemory();
        long diskTotal = limits.diskBytes() > 0 ? limits.diskBytes() : fileSystemSize();
        disk.refreshIfOlderThan(1_000_000_000L);
        long[] net = netBytes();
        long now = clock.millis();
        double rxRate = 0;
        double txRate = 0;
        synchronized (this) {
            if (lastNet != null && now > lastNet.atMillis()) {
                double seconds = (now - lastNet.atMillis()) / 1000.0;
                rxRate = Math.max(0, net[0] - lastNet.rxBytes()) / 1024.0 / seconds;
                txRate = Math.max(0, net[1] - lastNet.txBytes()) / 1024.0 / seconds;
            }
            lastNet = new NetSample(net[0], net[1], now);
        }
        return new SessionMetrics(
                cpus,
                cpuPercent,
                memTotal,
                Math.min(memoryUsed(), memTotal),
                diskTotal,
                disk.usedBytes(),
                net[0] / 1024.0,
                net[1] / 1024.0,
                rxRate,
                txRate,
                OffsetDateTime.now(clock));
    }

    private double cpuPercent(int cpus) {
        Map<Long, Long> before = cpuTicks();
        long start = System.nanoTime();
        try {
            Thread.sleep(CPU_SAMPLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Long, Long> after = cpuTicks();
        long ticks = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            ticks += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        double used = ticks / TICKS_PER_SECOND / seconds / cpus * 100.0;
        return Math.max(0.0, Math.min(100.0, Math.round(used * 100.0) / 100.0));
    }

    /** utime + stime of each of the session's processes. */
    private Map<Long, Long> cpuTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        for (long pid : processes()) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
                // The command name may hold spaces and parentheses: fields start after the last ')'.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                // exited meanwhile
            }
        }
        return ticks;
    }

    /** The session's processes: its cgroup's members, or those in its PID namespace. */
    private List<Long> processes() {
        Path group = cgroups == null ? null : cgroups.memory() != null ? cgroups.memory() : cgroups.pids();
        List<Long> pids = new ArrayList<>();
        if (group != null) {
            try {
                for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
                return pids;
            } catch (IOException | NumberFormatException e) {
                pids.clear();
            }
        }
        try {
            Path ns = Files.readSymbolicLink(Path.of("/proc", Long.toString(initPid), "ns", "pid"));
            try (Stream<Path> all = Files.list(Path.of("/proc"))) {
                all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .forEach(p -> {
                            try {
                                if (Files.readSymbolicLink(p.resolve("ns/pid")).equals(ns)) {
                                    pids.add(Long.parseLong(p.getFileName().toString()));
                                }
                            } catch (IOException | RuntimeException e) {
                                // exited, or not ours to read
                            }
                        });
            }
        } catch (IOException e) {
            // the sandbox is gone
        }
        return pids;
    }

    private long memoryUsed() {
        if (cgroups != null && cgroups.memory() != null) {
            for (String file : List.of("memory.usage_in_bytes", "memory.current")) {
                try {
                    return Long.parseLong(
                            Files.readString(cgroups.memory().resolve(file)).trim());
                } catch (IOException | NumberFormatException e) {
                    // the other cgroup version
                }
            }
        }
        long rss = 0;
        for (long pid : processes()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // exited meanwhile
            }
        }
        return rss;
    }

    /** Received and sent bytes on the session's interfaces other than loopback. */
    private long[] netBytes() {
        long rx = 0;
        long tx = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(initPid), "net", "dev"))) {
                int colon = line.indexOf(':');
                if (colon < 0 || line.substring(0, colon).trim().equals("lo")) {
                    continue;
                }
                String[] f = line.substring(colon + 1).trim().split("\\s+");
                if (f.length >= 9) {
                    rx += Long.parseLong(f[0]);
                    tx += Long.parseLong(f[8]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the sandbox is gone
        }
        return new long[] {rx, tx};
    }

    private static long hostMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().maxMemory();
    }

    private long fileSystemSize() {
        try {
            return Files.getFileStore(diskRoot).getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }
}
