package org.openagb.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openagb.sandbox.internal.BubblewrapSandbox;

/**
 * Runs each session in a bubblewrap sandbox on this machine: the host's root filesystem read-only, a private
 * {@code /dev}, {@code /proc}, network (loopback only), pid, ipc and uts namespace, and the session's own writable
 * roots bound from its session directory. Commands join the sandbox with {@code nsenter} and run as root of the
 * sandbox without any capability.
 *
 * <p>Thread safe. Sandboxes are spawned on one long-lived thread of this runtime, because bwrap's
 * {@code --die-with-parent} is tied to the spawning thread; they die with the JVM.
 */
public final class BubblewrapSandboxRuntime implements SandboxRuntime {
    private final SandboxConfig config;
    private final ExecutorService launcher;

    /**
     * @throws SandboxException if bwrap or nsenter is missing; the message says what to install
     */
    public BubblewrapSandboxRuntime(SandboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        requireExecutable(
                config.bwrap(),
                "bubblewrap (bwrap) not found at " + config.bwrap()
                        + ": install it, e.g. apt-get install -y bubblewrap");
        requireExecutable(
                config.nsenter(),
                "nsenter not found at " + config.nsenter()
                        + ": install util-linux, e.g. apt-get install -y util-linux");
        for (String root : config.writableRoots()) {
            if (!Files.isDirectory(Path.of(root))) {
                throw new SandboxException("Cannot use writable root '" + root
                        + "': the directory does not exist in the image (create it or configure other roots)");
            }
        }
        this.launcher = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-launcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A runtime with {@link SandboxConfig#defaults()}. */
    public static BubblewrapSandboxRuntime create() {
        return new BubblewrapSandboxRuntime(SandboxConfig.defaults());
    }

    public SandboxConfig config() {
        return config;
    }

    @Override
    public Sandbox start(SandboxSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Future<BubblewrapSandbox> started = launcher.submit(() -> BubblewrapSandbox.start(config, spec));
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.cancel(true);
            throw new SandboxException("Cannot start sandbox for session '" + spec.sessionId() + "': interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new SandboxException(
                    "Cannot start sandbox for session '" + spec.sessionId() + "': " + e.getCause(), e.getCause());
        }
    }

    private static void requireExecutable(Path path, String message) {
        if (!Files.isExecutable(path) || Files.isDirectory(path)) {
            throw new SandboxException(message);
        }
    }
}
