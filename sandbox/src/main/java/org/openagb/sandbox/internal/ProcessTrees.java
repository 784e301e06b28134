package org.openagb.sandbox.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills process trees from the host side. */
final class ProcessTrees {
    private ProcessTrees() {}

    /**
     * SIGKILLs every descendant of {@code root} (several rounds, to catch processes forked meanwhile), then the
     * process group {@code pgid} if positive, then {@code root} itself.
     */
    static void kill(ProcessHandle root, long pgid) {
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> descendants = root.descendants().toList();
            if (descendants.isEmpty()) {
                break;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        if (pgid > 1) {
            killGroup(pgid);
        }
        root.destroyForcibly();
    }

    private static void killGroup(long pgid) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Best effort: the descendants were already killed one by one.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
