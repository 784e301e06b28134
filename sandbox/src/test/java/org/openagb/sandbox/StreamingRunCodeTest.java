package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Sandbox#runCode(CodeRequest, CodeStream)} against real kernels in a real sandbox: output arrives while the
 * cell runs, streamed text adds up to the result's, and cancelling stops the cell.
 */
class StreamingRunCodeTest extends SandboxExtensionSupport {
    private Sandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = start("stream-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    /** Records what a cell streams, with the time each piece arrived. */
    static final class Recorder implements CodeStream {
        record Piece(String stream, String text, long atNanos) {}

        final List<Piece> pieces = new ArrayList<>();
        final AtomicBoolean cancel = new AtomicBoolean();

        @Override
        public synchronized void stdout(String text) {
            pieces.add(new Piece("stdout", text, System.nanoTime()));
        }

        @Override
        public synchronized void stderr(String text) {
            pieces.add(new Piece("stderr", text, System.nanoTime()));
        }

        @Override
        public boolean cancelled() {
            return cancel.get();
        }

        synchronized String text(String stream) {
            StringBuilder out = new StringBuilder();
            pieces.stream().filter(p -> p.stream().equals(stream)).forEach(p -> out.append(p.text()));
            return out.toString();
        }

        synchronized Piece first(String stream, String containing) {
            return pieces.stream()
                    .filter(p -> p.stream().equals(stream) && p.text().contains(containing))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("no " + stream + " piece with '" + containing + "' in " + pieces));
        }
    }

    private static CodeRequest request(String language, String code) {
        return new CodeRequest(language, code, Duration.ofSeconds(60));
    }

    private static void assertStreamedAsTheResult(Recorder recorder, CodeResult result) {
        assertThat(recorder.text("stdout")).isEqualTo(String.join("", result.stdout()));
        assertThat(recorder.text("stderr")).isEqualTo(String.join("", result.stderr()));
    }

    @Test
    void python_printSleepPrint_firstChunkArrivesWhileTheCellStillRuns() {
        Recorder recorder = new Recorder();
        CodeResult result = sandbox.runCode(
                request(
                        "python",
                        "import sys, time\nprint('hello', flush=True)\nprint('oops', file=sys.stderr, flush=True)\n"
                                + "time.sleep(1.0)\nprint(2)\n'done'"),
                recorder);
        long ended = System.nanoTime();

        assertThat(result.executionError()).isEmpty();
        assertThat(result.results())
                .singleElement()
                .satisfies(r -> assertThat(r.get("text/plain")).isEqualTo("'done'"));
        Recorder.Piece hello = recorder.first("stdout", "hello");
        Recorder.Piece two = recorder.first("stdout", "2");
        assertThat(TimeUnit.NANOSECONDS.toMillis(two.atNanos() - hello.atNanos()))
                .isGreaterThanOrEqualTo(800);
        assertThat(TimeUnit.NANOSECONDS.toMillis(ended - hello.atNanos())).isGreaterThanOrEqualTo(800);
        assertThat(recorder.text("stderr")).isEqualTo("oops\n");
        assertThat(recorder.text("stdout")).isEqualTo("hello\n2\n");
        assertStreamedAsTheResult(recorder, result);
    }

    @Test
    void python_partialLineAndMultibyteText_areStreamedWithoutWaitingForANewline() {
        Recorder recorder = new Recorder();
        CodeResult result = sandbox.runCode(
                request("python", "import time\nprint('é€😀', end='', flush=True)\ntime.sleep(1.0)\nprint('!')"),
                recorder);
        long ended = System.nanoTime();

        Recorder.Piece partial = recorder.first("stdout", "é€😀");
        assertThat(TimeUnit.NANOSECONDS.toMillis(ended - partial.atNanos())).isGreaterThanOrEqualTo(800);
        assertThat(recorder.text("stdout")).isEqualTo("é€😀!\n");
        assertStreamedAsTheResult(recorder, result);
    }

    @Test
    void python_exception_streamsTheTracebackToStderrAndEndsWithTheExecutionError() {
        Recorder recorder = new Recorder();
        CodeResult result = sandbox.runCode(request("python", "print('before')\n1/0"), recorder);

        assertThat(result.executionError()).startsWith("ZeroDivisionError");
        assertThat(recorder.text("stderr")).contains("ZeroDivisionError");
        assertStreamedAsTheResult(recorder, result);
    }

    @Test
    void python_outputPastTheCap_isStreamedUpToTheCapWithTheSameMarkAsTheResult() {
        Recorder recorder = new Recorder();
        CodeResult result = sandbox.runCode(
                request("python", "import sys\nfor i in range(6):\n    sys.stdout.write('x' * (1 << 20))\n"), recorder);

        assertThat(result.stdout().get(result.stdout().size() - 1)).startsWith("[stdout truncated after ");
        assertThat(recorder.text("stdout"))
                .endsWith(result.stdout().get(result.stdout().size() - 1));
        assertStreamedAsTheResult(recorder, result);
    }

    @Test
    void python_cancel_interruptsTheCellAndTheKernelKeepsItsState() {
        sandbox.runCode(request("python", "kept = 41"));
        Recorder recorder = new Recorder();
        CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS).execute(() -> recorder.cancel.set(true));
        long started = System.nanoTime();
        CodeResult result =
                sandbox.runCode(request("python", "print('looping', flush=True)\nwhile True:\n    pass"), recorder);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
        assertThat(result.executionError())
                .isEqualTo("CancelledError: the run was cancelled; the kernel was interrupted and keeps its state");
        assertThat(recorder.text("stdout")).isEqualTo("looping\n");
        CodeResult next = sandbox.runCode(request("python", "kept + 1"));
        assertThat(next.executionError()).isEmpty();
        assertThat(next.results().get(0).get("text/plain")).isEqualTo("42");
    }

    @Test
    void cancelWhileWaitingForTheKernel_givesUpBeforeTheCellStarts() throws Exception {
        CompletableFuture<CodeResult> busy =
                CompletableFuture.supplyAsync(() -> sandbox.runCode(request("python", "import time\ntime.sleep(3)")));
        Thread.sleep(1_000); // the first call holds the kernel (a cold start included)
        Recorder recorder = new Recorder();
        recorder.cancel.set(true);
        CodeResult result = sandbox.runCode(request("python", "print('never')"), recorder);

        assertThat(result.executionError())
                .isEqualTo("CancelledError: the run was cancelled before it started (it was waiting for the"
                        + " session's Python kernel, busy with another call)");
        assertThat(recorder.pieces).isEmpty();
        assertThat(busy.get(30, TimeUnit.SECONDS).executionError()).isEmpty();
    }

    @Test
    void javascript_consoleLogBeforeAnAwait_arrivesWhileTheCellStillRuns() {
        Recorder recorder = new Recorder();
        CodeResult result = sandbox.runCode(
                request(
                        "javascript",
                        "console.log('first'); console.error('warn');\n"
                                + "await new Promise((r) => setTimeout(r, 1000));\nconsole.log('second');"),
                recorder);
        long ended = System.nanoTime();

        assertThat(result.executionError()).isEmpty();
        Recorder.Piece first = recorder.first("stdout", "first");
        assertThat(TimeUnit.NANOSECONDS.toMillis(ended - first.atNanos())).isGreaterThanOrEqualTo(800);
        assertThat(recorder.text("stdout")).isEqualTo("first\nsecond\n");
        assertThat(recorder.text("stderr")).isEqualTo("warn\n");
        assertStreamedAsTheResult(recorder, result);
    }

    @Test
    void java_printlnBeforeASleep_arrivesWhileTheCellStillRunsAndKeepsMultibyteText() {
        Recorder recorder = new Recorder();
        CodeResult result = sandbox.runCode(
                request(
                        "java",
                        "System.out.println(\"é€😀\");\nSystem.err.println(\"warn\");\nThread.sleep(1000);\n"
                                + "System.out.print(\"end\");"),
                recorder);
        long ended = System.nanoTime();

        assertThat(result.executionError()).isEmpty();
        Recorder.Piece first = recorder.first("stdout", "é€😀");
        assertThat(TimeUnit.NANOSECONDS.toMillis(ended - first.atNanos())).isGreaterThanOrEqualTo(800);
        assertThat(recorder.text("stdout")).isEqualTo("é€😀\nend");
        assertThat(recorder.text("stderr")).isEqualTo("warn\n");
        assertStreamedAsTheResult(recorder, result);
    }
}
