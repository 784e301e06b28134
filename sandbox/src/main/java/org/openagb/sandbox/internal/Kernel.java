package org.openagb.sandbox.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.CodeResult;
import org.openagb.sandbox.CodeStream;
import org.openagb.sandbox.SandboxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stateful language kernel: a long-lived interpreter process inside a session's sandbox, started with the same
 * {@code nsenter … setpriv … setsid} entry as shell commands, speaking a framed JSON protocol.
 *
 * <p>Protocol: the host writes one JSON request per line to the kernel's stdin ({@code {"id", "code"}}, plus
 * {@code "stream": true} for a streamed cell); the kernel answers on a private channel (a duplicate of its original
 * stdout; user code's file descriptors 1 and 2 are elsewhere) with frames {@code <byte length>\n<UTF-8 JSON>}: first
 * {@code {"ready": true, "pid", …}}, then one reply per request {@code {"id", "results", "stdout", "stderr", "error",
 * "time"}}, preceded for a streamed request by its output as it is written, {@code {"id", "stream": "stdout"|"stderr",
 * "text"}} (see {@link KernelReplies}). The kernel's stderr is its log.
 *
 * <p>Not thread safe: the caller serialises {@link #execute} calls; {@link #kill()} may be called from any thread.
 */
final class Kernel {
    private static final Logger log = LoggerFactory.getLogger(Kernel.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> BUNDLES = new TypeReference<>() {};
    private static final TypeReference<List<String>> CHUNKS = new TypeReference<>() {};
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);
    /** How often the interrupt is repeated during {@link #INTERRUPT_GRACE}. */
    static final Duration REINTERRUPT = Duration.ofMillis(500);

    private final KernelLanguage language;
    private final List<String> candidates;
    private final String sessionId;
    private final Process process;
    private final OutputStream requests;
    private final OutputCapture kernelLog;
    private final KernelReplies replies;
    private volatile long kernelPid = -1;
    private volatile boolean dead;
    private long nextId;
    private int executionCount;
    private String runtimeDescription = "";

    private Kernel(KernelLanguage language, String sessionId, Process process, List<String> candidates) {
        this.language = language;
        this.candidates = candidates;
        this.sessionId = sessionId;
        this.process = process;
        this.requests = process.getOutputStream();
        this.kernelLog = OutputCapture.start(
                process.getErrorStream(), 64 * 1024, "kernel-" + language.id() + "-" + sessionId + "-log");
        this.replies = new KernelReplies(
                process.getInputStream(),
                "kernel-" + language.id() + "-" + sessionId + "-reply",
                language.id() + " kernel of session " + sessionId);
    }

    /**
     * Starts the kernel with {@code builder} (which runs the language's launcher inside the sandbox) and waits for
     * its ready frame.
     *
     * @throws SandboxException if the runtime is missing or the kernel does not come up
     */
    static Kernel start(
            KernelLanguage language,
            String sessionId,
            List<String> candidates,
            ProcessBuilder builder,
            Duration startTimeout) {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SandboxException("Cannot start the " + language.displayName() + " kernel of session '" + sessionId
                    + "': " + e.getMessage() + " (is nsenter installed?)");
        }
        Kernel kernel = new Kernel(language, sessionId, process, candidates);
        kernel.handshake(startTimeout);
        return kernel;
    }

    private void handshake(Duration startTimeout) {
        try {
            byte[] source = language.kernelSourceLine();
            if (source != null) {
                requests.write(source);
                requests.write('\n');
                requests.flush();
            }
        } catch (IOException e) {
            // The launcher exited early (runtime missing); the log says why.
        }
        JsonNode ready;
        try {
            ready = replies.first(startTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new SandboxException("Cannot start the " + language.displayName() + " kernel of session '" + sessionId
                    + "': interrupted");
        }
        if (ready == null || ready.isMissingNode() || !ready.path("ready").asBoolean()) {
            kill();
            String logText = logText();
            if (logText.contains(KernelLanguage.RUNTIME_MISSING)) {
                throw new SandboxException(language.missingRuntimeMessage(candidates));
            }
            if (logText.contains(KernelLanguage.NOT_SUPPORTED)) {
                throw new SandboxException(language.notSupportedMessage(candidates));
            }
            String reason = ready == null
                    ? "it did not become ready within " + startTimeout.toSeconds() + " s"
                    : "it exited while starting";
            throw new SandboxException("Cannot start the " + language.displayName() + " kernel of session '" + sessionId
                    + "': " + reason + (logText.isEmpty() ? "" : ": " + logText));
        }
        runtimeDescription = ready.path("executable").asText("") + " "
                + ready.path("version").asText("");
        long nsPid = ready.path("pid").asLong(-1);
        kernelPid = findHostPid(process.toHandle(), nsPid).orElse(-1L);
        log.debug(
                "Started {} kernel of session {} ({}; IPython {}; host pid {})",
                language.id(),
                sessionId,
                runtimeDescription.strip(),
                ready.path("ipython").asText("none"),
                kernelPid);
    }

    /** The host pid of the process whose innermost pid is {@code nsPid}, among {@code root} and its descendants. */
    private static Optional<Long> findHostPid(ProcessHandle root, long nsPid) {
        if (nsPid <= 0) {
            return Optional.empty();
        }
        List<ProcessHandle> candidates = new ArrayList<>();
        candidates.add(root);
        root.descendants().forEach(candidates::add);
        for (ProcessHandle handle : candidates) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(handle.pid()), "status"))) {
                    if (line.startsWith("NSpid:")) {
                        String[] pids = line.substring(6).trim().split("\\s+");
                        if (pids.length > 1 && pids[pids.length - 1].equals(Long.toString(nsPid))) {
                            return Optional.of(handle.pid());
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // The process went away; try the next one.
            }
        }
        return Optional.empty();
    }

    boolean isAlive() {
        return !dead && process.isAlive();
    }

    /** The host-side processes of this kernel (nsenter and what runs under it), for tests and diagnostics. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> out = new ArrayList<>();
        out.add(process.toHandle());
        process.toHandle().descendants().forEach(out::add);
        return out;
    }

    /** {@link #execute(String, Duration, CodeStream)} without streaming. */
    CodeResult execute(String code, Duration timeout) {
        return execute(code, timeout, null);
    }

    /**
     * Runs {@code code}, handing its output to {@code stream} as it is written when that is not {@code null}; on
     * {@code timeout} or when {@code stream} is cancelled, interrupts the kernel (SIGINT to its process group) and, if
     * it has not answered within {@link #INTERRUPT_GRACE}, kills it. The caller starts a new kernel when this one is
     * dead.
     */
    CodeResult execute(String code, Duration timeout, CodeStream stream) {
        long id = ++nextId;
        int count = ++executionCount;
        long started = System.nanoTime();
        try {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("id", id);
            request.put("code", code);
            if (stream != null) {
                request.put("stream", true);
            }
            requests.write(JSON.writeValueAsBytes(request));
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            kill();
            return died(count, started, "the kernel is not running", stream);
        }
        KernelReplies.Outcome outcome = await(id, timeout, stream, true);
        if (outcome instanceof KernelReplies.Reply reply) {
            return toResult(reply.frame(), count, null);
        }
        if (outcome instanceof KernelReplies.Exited) {
            return died(count, started, "the kernel exited while running the code", stream);
        }
        String why = outcome instanceof KernelReplies.Cancelled
                ? "CancelledError: the run was cancelled"
                : "TimeoutError: execution timed out after " + Math.max(1, timeout.toSeconds()) + " s";
        // Interrupt again every half second of the grace: a kernel ignores an interrupt that arrives as a cell starts
        // (it would be a late one meant for the previous cell), and a loaded machine can start a cell late.
        long graceEnd = System.nanoTime() + INTERRUPT_GRACE.toNanos();
        do {
            interrupt();
            long left = graceEnd - System.nanoTime();
            outcome = await(id, Duration.ofNanos(Math.max(1, Math.min(left, REINTERRUPT.toNanos()))), stream, false);
        } while (outcome instanceof KernelReplies.TimedOut && System.nanoTime() < graceEnd);
        if (outcome instanceof KernelReplies.Reply reply) {
            return toResult(reply.frame(), count, why + "; the kernel was interrupted and keeps its state");
        }
        kill();
        String log = logText();
        String note = "The " + language.displayName() + " kernel did not stop within " + INTERRUPT_GRACE.toSeconds()
                + " s of the interrupt and was killed; the next call starts a new kernel.\n"
                + (log.isEmpty() ? "" : "Kernel log: " + log + "\n");
        if (stream != null) {
            stream.stderr(note);
        }
        return new CodeResult(
                List.of(),
                List.of(),
                List.of(note),
                why + "; the kernel was restarted and its state (variables, imports) was lost",
                count,
                elapsedSeconds(started));
    }

    private KernelReplies.Outcome await(long id, Duration timeout, CodeStream stream, boolean cancellable) {
        try {
            return replies.await(id, timeout, stream, cancellable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new SandboxException("Cannot finish run_code in session '" + sessionId + "': interrupted");
        }
    }

    private CodeResult died(int count, long started, String what, CodeStream stream) {
        dead = true;
        int exit = -1;
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                exit = process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String logText = logText();
        List<String> stderr = new ArrayList<>();
        if (!logText.isEmpty()) {
            stderr.add(logText + "\n");
            if (stream != null) {
                stream.stderr(logText + "\n");
            }
        }
        return new CodeResult(
                List.of(),
                List.of(),
                stderr,
                "KernelDied: " + what + (exit >= 0 ? " (exit code " + exit + ")" : "")
                        + "; its state was lost and the next call starts a new " + language.displayName() + " kernel",
                count,
                elapsedSeconds(started));
    }

    private static double elapsedSeconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    private CodeResult toResult(JsonNode reply, int count, String errorOverride) {
        List<Map<String, Object>> results = JSON.convertValue(reply.path("results"), BUNDLES);
        List<String> stdout = JSON.convertValue(reply.path("stdout"), CHUNKS);
        List<String> stderr = JSON.convertValue(reply.path("stderr"), CHUNKS);
        String error =
                errorOverride != null ? errorOverride : reply.path("error").asText("");
        return new CodeResult(
                results == null ? List.of() : results,
                stdout == null ? List.of() : stdout,
                stderr == null ? List.of() : stderr,
                error,
                count,
                reply.path("time").asDouble(0));
    }

    /** SIGINT to the kernel and its process group (like Ctrl-C), from the host. */
    private void interrupt() {
        long pid = kernelPid;
        if (pid <= 1) {
            return;
        }
        signal("-INT", Long.toString(pid));
        signal("-INT", "-" + pid);
    }

    private static void signal(String signal, String target) {
        try {
            Process kill = new ProcessBuilder("kill", signal, "--", target)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.debug("Cannot signal {}: {}", target, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the kernel and everything it started. Idempotent; safe from any thread. */
    void kill() {
        dead = true;
        long pid = kernelPid;
        ProcessTrees.kill(process.toHandle(), pid);
        try {
            requests.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    private String logText() {
        try {
            kernelLog.awaitEof(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text = Utf8.decodeTruncated(kernelLog.freeze().bytes()).strip();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
