package org.openagb.sandbox;

import java.time.OffsetDateTime;

/**
 * What a session uses, measured for the session itself (its cgroups, its processes, its disk, its network namespace),
 * not for the host: the {@code get_metrics} tool's answer.
 *
 * @param cpuCount the CPUs the session may use (its CPU limit rounded up, at most the host's)
 * @param cpuUsedPercent the session's processes' CPU time over a short sample, as a share of {@code cpuCount}
 * @param memoryTotal the session's memory limit in bytes (the host's memory when unlimited)
 * @param memoryUsed the session's memory use in bytes (its memory cgroup; resident sizes without one)
 * @param diskTotal the session's disk quota in bytes (the data directory's file system when unlimited)
 * @param diskUsed what the session's files use, in bytes
 * @param rxKiloBytes received on the session's network interfaces other than loopback, in KiB
 * @param txKiloBytes sent, likewise
 * @param rxKiloBytesPerSecond receive rate since the previous measurement (0 for the first)
 * @param txKiloBytesPerSecond send rate, likewise
 * @param timestamp when it was measured
 */
public record SessionMetrics(
        int cpuCount,
        double cpuUsedPercent,
        long memoryTotal,
        long memoryUsed,
        long diskTotal,
        long diskUsed,
        double rxKiloBytes,
        double txKiloBytes,
        double rxKiloBytesPerSecond,
        double txKiloBytesPerSecond,
        OffsetDateTime timestamp) {}
