package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openagb.sandbox.internal.BubblewrapSandbox;

/** {@code run_code} with {@code language=java}: the jshell-based kernel in real sandboxes (needs a JDK with jshell). */
class JavaKernelTest extends SandboxExtensionSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tools tools = new Tools();
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private Sandbox sandbox;
    private String sessionId;

    @BeforeEach
    void startSandbox() {
        sessionId = "java-kernel-" + ProcessHandle.current().pid() + "-" + SESSIONS.incrementAndGet();
        sandbox = start(sessionId);
    }

    private ToolResult call(Sandbox target, String code, Object... more) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("code", code);
        args.put("language", "java");
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        try {
            return tools.call(target, "run_code", JSON.writeValueAsString(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode java(String code, Object... more) {
        return java(sandbox, code, more);
    }

    private JsonNode java(Sandbox target, String code, Object... more) {
        ToolResult result = call(target, code, more);
        assertThat(result.isError()).as(result.text()).isFalse();
        try {
            return JSON.readTree(result.text());
        } catch (Exception e) {
            throw new IllegalStateException(result.text(), e);
        }
    }

    private static String mainText(JsonNode reply) {
        for (JsonNode bundle : reply.get("result")) {
            if (bundle.path("isMainResult").asBoolean()) {
                return bundle.path("text/plain").asText();
            }
        }
        return "no main result in " + reply;
    }

    private static String joined(JsonNode chunks) {
        StringBuilder out = new StringBuilder();
        chunks.forEach(c -> out.append(c.asText()));
        return out.toString();
    }

    @Test
    void state_variablesPersistAndTheFinalExpressionIsTheMainResult() {
        JsonNode first = java("int x = 41;");
        assertThat(first.get("result")).isEmpty();
        assertThat(first.get("executionError").asText()).isEmpty();
        assertThat(first.get("execution_count").asInt()).isEqualTo(1);
        JsonNode second = java("x + 1");
        assertThat(second.get("result")).hasSize(1);
        assertThat(mainText(second)).isEqualTo("42");
        assertThat(second.get("execution_count").asInt()).isEqualTo(2);
        assertThat(second.get("execution_time").isFloatingPointNumber()).isTrue();
        assertThat(mainText(java("\"a\" + \"b\""))).isEqualTo("\"ab\"");
    }

    @Test
    void methodsClassesAndImports_declaredInOneCall_areUsableInTheNext() {
        java(
                "import java.util.concurrent.atomic.AtomicInteger;\n"
                        + "int square(int n) {\n    return n * n;\n}\n"
                        + "record Point(int x, int y) {\n    int sum() { return x + y; }\n}\n"
                        + "class Counter {\n    final AtomicInteger n = new AtomicInteger();\n    int next() { return n.incrementAndGet(); }\n}");
        JsonNode reply = java("var c = new Counter();\nc.next();\nsquare(new Point(2, 3).sum()) + c.next()");
        assertThat(reply.get("executionError").asText()).isEmpty();
        assertThat(mainText(reply)).isEqualTo("27");
        assertThat(mainText(java("List.of(1, 2, 3).stream().map(i -> i * 2).collect(Collectors.toList())")))
                .isEqualTo("[2, 4, 6]");
    }

    @Test
    void systemOutAndErr_becomeStdoutAndStderrChunks() {
        JsonNode reply = java("System.out.println(\"line 1\");\nSystem.out.print(\"line \");\nSystem.out.println(2);\n"
                + "System.err.println(\"oops\");");
        assertThat(reply.get("stdout")).extracting(JsonNode::asText).containsExactly("line 1\n", "line 2\n");
        assertThat(reply.get("stderr")).extracting(JsonNode::asText).containsExactly("oops\n");
        assertThat(reply.get("result")).isEmpty();
        JsonNode forged = java("System.out.println(\"5\\n{\\\"id\\\":1}\"); 7");
        assertThat(mainText(forged)).isEqualTo("7");
        assertThat(joined(forged.get("stdout"))).isEqualTo("5\n{\"id\":1}\n");
    }

    @Test
    void exception_isExecutionErrorWithTypeAndMessage() {
        JsonNode reply = java("System.out.println(\"before\");\nint[] a = new int[1];\nInteger.parseInt(\"x\" + a[0])");
        assertThat(reply.get("executionError").asText())
                .isEqualTo("java.lang.NumberFormatException: For input string: \"x0\"");
        assertThat(joined(reply.get("stderr")))
                .contains("NumberFormatException")
                .contains("at ");
        assertThat(reply.get("stdout")).extracting(JsonNode::asText).containsExactly("before\n");
        JsonNode thrown = java("throw new IllegalStateException(\"boom\");");
        assertThat(thrown.get("executionError").asText()).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(mainText(java("1 + 1"))).isEqualTo("2");
    }

    @Test
    void compileError_isAClearExecutionErrorAndTheKernelGoesOn() {
        java("int kept = 3;");
        JsonNode reply = java("int y = \"text\";");
        assertThat(reply.get("executionError").asText())
                .startsWith("CompilationError: ")
                .contains("incompatible types");
        assertThat(joined(reply.get("stderr"))).contains("int y = \"text\";").contains("^");
        JsonNode unknown = java("undefinedName + 1");
        assertThat(unknown.get("executionError").asText())
                .startsWith("CompilationError: ")
                .contains("cannot find symbol");
        JsonNode incomplete = java("int z = (1 +");
        assertThat(incomplete.get("executionError").asText()).startsWith("CompilationError: ");
        assertThat(mainText(java("kept * 2"))).isEqualTo("6");
    }

    @Test
    void timeout_interruptsTheLoopAndTheKernelKeepsItsState() {
        java("String kept = \"yes\";");
        long started = System.nanoTime();
        JsonNode reply = java("System.out.println(\"started\");\nwhile (true) {}", "timeout_s", 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(reply.get("executionError").asText())
                .as(reply.toString())
                .contains("timed out after 1 s")
                .contains("interrupted")
                .contains("keeps its state");
        assertThat(reply.get("stdout")).extracting(JsonNode::asText).containsExactly("started\n");
        assertThat(mainText(java("kept"))).isEqualTo("\"yes\"");
        JsonNode sleeping = java("Thread.sleep(30_000);", "timeout_s", 1);
        assertThat(sleeping.get("executionError").asText()).contains("timed out after 1 s");
        assertThat(mainText(java("kept.length()"))).isEqualTo("3");
    }

    @Test
    void systemExit_isReportedAndTheNextCallStartsANewKernel() {
        java("int x = 1;");
        JsonNode reply = java("System.exit(3);");
        assertThat(reply.get("executionError").asText())
                .startsWith("KernelDied: ")
                .contains("exit code 3");
        JsonNode next = java("int x = 2; x");
        assertThat(mainText(next)).isEqualTo("2");
        assertThat(next.get("execution_count").asInt()).isEqualTo(1);
    }

    @Test
    void kernel_runsInsideTheSandboxWithinItsLimits() {
        JsonNode reply = java(
                "List.of(System.getProperty(\"user.dir\"), Files.readString(Path.of(\"/proc/sys/kernel/hostname\")).strip(),"
                        + " ProcessHandle.current().pid() < 100, Runtime.getRuntime().maxMemory() <= (1L << 30))");
        assertThat(mainText(reply)).isEqualTo("[/home, " + sessionId + ", true, true]");
        JsonNode tmp = java("new File(\"/tmp\").list().length");
        assertThat(mainText(tmp))
                .as("the kernel leaves nothing in the session's /tmp")
                .isEqualTo("0");
    }

    @Test
    void kernel_diesWithTheSandbox() {
        java("1");
        List<ProcessHandle> processes = ((BubblewrapSandbox) sandbox).kernelProcesses();
        assertThat(processes.size()).isGreaterThanOrEqualTo(2); // nsenter + the JVM
        assertThat(processes).anyMatch(p -> p.info().command().orElse("").endsWith("java"));
        sandbox.close();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(processes).noneMatch(ProcessHandle::isAlive));
        ToolResult after = call(sandbox, "1");
        assertThat(after.isError()).isTrue();
        assertThat(after.text()).contains("not running");
    }

    @Test
    void kernels_ofTwoSessions_doNotShareState() {
        Sandbox other = start(sessionId + "-other");
        java("String secret = \"first\";");
        assertThat(java(other, "secret").get("executionError").asText()).startsWith("CompilationError: ");
        assertThat(mainText(java("secret"))).isEqualTo("\"first\"");
    }

    @Test
    void aJavaWithoutJshell_isAClearErrorAskingForAJdk() {
        SandboxConfig config = SandboxConfig.defaults().withRuntime("java", List.of("/nonexistent/java", "sh"));
        Sandbox jre = new BubblewrapSandboxRuntime(config)
                .start(new SandboxSpec(sessionId + "-jre", temp.resolve("jre"), null));
        try {
            ToolResult result = call(jre, "1");
            assertThat(result.isError()).isTrue();
            assertThat(result.text()).contains("Java is not installed", "jshell");
        } finally {
            jre.close();
        }
    }
}
