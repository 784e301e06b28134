package org.openagb.sandbox;

import java.util.Locale;

/**
 * Resource limits of every session sandbox ({@link SandboxConfig#limits()}).
 *
 * <p>How they are enforced (see {@link BubblewrapSandboxRuntime}):
 * <ul>
 *   <li>{@code memoryBytes} and {@code maxProcesses}: a cgroup v1 {@code memory} and {@code pids} group per session
 *       ({@code memory.limit_in_bytes}, {@code memory.memsw.limit_in_bytes} when present, {@code pids.max}) holding
 *       the sandbox and every command and kernel from their first instruction, when the controllers under
 *       {@link SandboxConfig#cgroupRoot()} are writable. Otherwise each command and kernel runs under
 *       {@code prlimit --as=memoryBytes} (address space per process, not the session's total), and the process
 *       count is not limited (RLIMIT_NPROC counts per user id across the whole host, so it cannot limit one
 *       session). A command killed by the memory limit, or whose fork failed because of the process limit, gets a
 *       line on its stderr that says so.</li>
 *   <li>{@code diskBytes}: soft. The size of the session's writable directories is measured between calls (after
 *       each command and file write, at most about once a second, and every few seconds in the background). Over
 *       the quota, file-writing tools refuse, a command that ends over it gets a stderr line saying so, and further
 *       commands run with a file size limit of 0 ({@code prlimit --fsize=0}): they can still read and delete files
 *       but cannot grow any, until usage drops below the quota.</li>
 *   <li>{@code cpuMillis}: a cgroup v1 {@code cpu} group per session with a CFS quota of {@code cpuMillis / 1000}
 *       CPUs per 100 ms period, when the controller is writable (else not limited, which is logged).</li>
 *   <li>{@code network}: {@code false} gives each sandbox its own network namespace with only loopback;
 *       {@code true} shares the host's network (and loopback).</li>
 * </ul>
 *
 * @param memoryBytes memory of the whole session (all its processes), {@code 0} for no limit; default 2 GiB
 * @param maxProcesses processes and threads of the whole session, {@code 0} for no limit; default 256
 * @param diskBytes bytes in the session's writable directories ({@code /home}, {@code /tmp}, {@code /var/tmp}),
 *     {@code 0} for no limit; default 10 GiB
 * @param network whether the sandbox shares the host's network; default {@code false} (loopback only)
 * @param cpuMillis CPU time of the whole session in thousandths of a CPU ({@code 500} = half a CPU), {@code 0} for
 *     no limit; default 2000 (two CPUs)
 */
public record SessionLimits(long memoryBytes, int maxProcesses, long diskBytes, boolean network, int cpuMillis) {
    public static final int DEFAULT_CPU_MILLIS = 2000;

    /** The smallest CPU limit accepted (a hundredth of a CPU). */
    public static final int MIN_CPU_MILLIS = 10;

    public static final long DEFAULT_MEMORY_BYTES = 2L << 30;
    public static final int DEFAULT_MAX_PROCESSES = 256;
    public static final long DEFAULT_DISK_BYTES = 10L << 30;

    /** The smallest memory limit accepted: below it the sandbox's own processes cannot start. */
    public static final long MIN_MEMORY_BYTES = 16L << 20;

    /** The smallest process limit accepted: the sandbox itself and one command's entry need a few. */
    public static final int MIN_PROCESSES = 8;

    public SessionLimits {
        if (memoryBytes < 0 || (memoryBytes > 0 && memoryBytes < MIN_MEMORY_BYTES)) {
            throw new IllegalArgumentException(
                    "memoryBytes (" + memoryBytes + ") must be 0 (no limit) or >= " + format(MIN_MEMORY_BYTES));
        }
        if (maxProcesses < 0 || (maxProcesses > 0 && maxProcesses < MIN_PROCESSES)) {
            throw new IllegalArgumentException(
                    "maxProcesses (" + maxProcesses + ") must be 0 (no limit) or >= " + MIN_PROCESSES);
        }
        if (diskBytes < 0) {
            throw new IllegalArgumentException("diskBytes (" + diskBytes + ") must be 0 (no limit) or > 0");
        }
        if (cpuMillis < 0 || (cpuMillis > 0 && cpuMillis < MIN_CPU_MILLIS)) {
            throw new IllegalArgumentException(
                    "cpuMillis (" + cpuMillis + ") must be 0 (no limit) or >= " + MIN_CPU_MILLIS);
        }
    }

    /** Limits with the default CPU limit. */
    public SessionLimits(long memoryBytes, int maxProcesses, long diskBytes, boolean network) {
        this(memoryBytes, maxProcesses, diskBytes, network, DEFAULT_CPU_MILLIS);
    }

    /** 2 GiB of memory, 256 processes, 10 GiB of disk, no network, two CPUs. */
    public static SessionLimits defaults() {
        return new SessionLimits(DEFAULT_MEMORY_BYTES, DEFAULT_MAX_PROCESSES, DEFAULT_DISK_BYTES, false);
    }

    /** No memory, process, disk or CPU limit; no network. */
    public static SessionLimits unlimited() {
        return new SessionLimits(0, 0, 0, false, 0);
    }

    public SessionLimits withMemoryBytes(long bytes) {
        return new SessionLimits(bytes, maxProcesses, diskBytes, network, cpuMillis);
    }

    public SessionLimits withMaxProcesses(int count) {
        return new SessionLimits(memoryBytes, count, diskBytes, network, cpuMillis);
    }

    public SessionLimits withDiskBytes(long bytes) {
        return new SessionLimits(memoryBytes, maxProcesses, bytes, network, cpuMillis);
    }

    public SessionLimits withNetwork(boolean enabled) {
        return new SessionLimits(memoryBytes, maxProcesses, diskBytes, enabled, cpuMillis);
    }

    public SessionLimits withCpuMillis(int millis) {
        return new SessionLimits(memoryBytes, maxProcesses, diskBytes, network, millis);
    }

    /** {@code bytes} for people: {@code 2 GiB}, {@code 64 MiB}, {@code 1.5 KiB}, {@code 17 bytes}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value >= 100 ? Long.toString(Math.round(value)) : String.format(Locale.ROOT, "%.1f", value);
        if (number.endsWith(".0")) {
            number = number.substring(0, number.length() - 2);
        }
        return number + " " + units[unit];
    }
}
