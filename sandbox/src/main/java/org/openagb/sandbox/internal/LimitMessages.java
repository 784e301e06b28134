package org.openagb.sandbox.internal;

import org.openagb.sandbox.SessionLimits;

/**
 * The lines added to a command's or kernel's output when it ran into one of the session's limits: each says which
 * limit, its value, and what to raise. Pure; thread safe (stateless).
 */
final class LimitMessages {
    private LimitMessages() {}

    /** After a command ran while the session was over its soft disk quota, and usage is below it again. */
    static final String RAN_OVER_QUOTA = "note: this command ran while the session was over its disk quota, so it"
            + " could not grow files (exit code 153 = file size limit); usage is now below the quota";

    static String memory(SessionLimits limits) {
        return "killed: the session's memory limit of " + SessionLimits.format(limits.memoryBytes())
                + " was reached (raise SessionLimits.memoryBytes)";
    }

    static String processes(SessionLimits limits) {
        return "fork failed: the session's process limit of " + limits.maxProcesses()
                + " was reached (raise SessionLimits.maxProcesses)";
    }

    /** Under the prlimit fallback, where memory is limited per process (address space), not by cgroup. */
    static String addressSpace(SessionLimits limits) {
        return "out of memory: probably the session's memory limit of " + SessionLimits.format(limits.memoryBytes())
                + " of address space per process was reached (raise SessionLimits.memoryBytes)";
    }

    static String diskQuotaExceeded(String usage) {
        return "disk quota exceeded: " + usage + "; until usage drops below it, file-writing tools are refused and"
                + " commands cannot grow files (delete files or raise SessionLimits.diskBytes)";
    }

    /** Whether the end of {@code stderr} reads like an allocation failure of a common runtime. */
    static boolean looksOutOfMemory(String stderr) {
        String text = stderr.length() > 8192 ? stderr.substring(stderr.length() - 8192) : stderr;
        return text.contains("MemoryError")
                || text.contains("Cannot allocate memory")
                || text.contains("memory exhausted")
                || text.contains("out of memory")
                || text.contains("std::bad_alloc")
                || text.contains("heap out of memory");
    }
}
