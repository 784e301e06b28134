package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openagb.sandbox.internal.BubblewrapSandbox;

/**
 * {@code run_code} against real kernels in real sandboxes. The rich-output tests need IPython in one of the
 * configured Python interpreters; without it they fail with a message that says what to install.
 */
class RunCodeTest extends SandboxExtensionSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tools tools = new Tools();
    private Sandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = start("code");
    }

    private ToolResult call(Sandbox target, String language, String code, Object... more) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("code", code);
        args.put("language", language);
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        try {
            return tools.call(target, "run_code", JSON.writeValueAsString(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode run(Sandbox target, String language, String code, Object... more) {
        ToolResult result = call(target, language, code, more);
        assertThat(result.isError()).as(result.text()).isFalse();
        try {
            return JSON.readTree(result.text());
        } catch (Exception e) {
            throw new IllegalStateException(result.text(), e);
        }
    }

    private JsonNode python(String code) {
        return run(sandbox, "python", code);
    }

    private static String mainText(JsonNode reply) {
        for (JsonNode bundle : reply.get("result")) {
            if (bundle.path("isMainResult").asBoolean()) {
                return bundle.path("text/plain").asText();
            }
        }
        return null;
    }

    private static String joined(JsonNode chunks) {
        StringBuilder out = new StringBuilder();
        chunks.forEach(c -> out.append(c.asText()));
        return out.toString();
    }

    private void requireIpython() {
        JsonNode reply = python("import importlib.util\nimportlib.util.find_spec('IPython') is not None");
        assertThat(mainText(reply))
                .as("IPython is not importable by any configured Python interpreter "
                        + SandboxConfig.defaultRuntimes().get("python")
                        + ": install it, e.g. apt-get install -y python3-ipython")
                .isEqualTo("True");
    }

    // ---- python ----

    @Test
    void python_lastExpression_isTheMainResultInWireFormat() {
        JsonNode reply = python("x = 40\nx + 2");
        assertThat(reply.get("result")).hasSize(1);
        assertThat(reply.get("result").get(0).get("text/plain").asText()).isEqualTo("42");
        assertThat(reply.get("result").get(0).get("isMainResult").asBoolean()).isTrue();
        assertThat(reply.get("stdout").isArray()).isTrue();
        assertThat(reply.get("stderr").isArray()).isTrue();
        assertThat(reply.get("executionError").asText()).isEmpty();
        assertThat(reply.get("execution_count").asInt()).isEqualTo(1);
        assertThat(reply.get("execution_time").isFloatingPointNumber()).isTrue();
    }

    @Test
    void python_state_persistsBetweenCallsAndCountIncrements() {
        python("import math\ncounter = 10\ndef bump(n):\n    return counter + n");
        JsonNode reply = python("counter = bump(5)\ncounter * math.floor(1.5)");
        assertThat(mainText(reply)).isEqualTo("15");
        assertThat(reply.get("execution_count").asInt()).isEqualTo(2);
    }

    @Test
    void python_print_becomesStdoutChunksAndStderrIsSeparate() {
        JsonNode reply = python("import sys, os\nprint('line 1')\nprint('line 2')\nprint('oops', file=sys.stderr)\n"
                + "os.system('echo from a subprocess')\nNone");
        assertThat(reply.get("stdout"))
                .extracting(JsonNode::asText)
                .containsExactly("line 1\n", "line 2\n", "from a subprocess\n");
        assertThat(reply.get("stderr")).extracting(JsonNode::asText).containsExactly("oops\n");
        assertThat(reply.get("result")).isEmpty();
    }

    @Test
    void python_printedTextThatLooksLikeProtocol_cannotForgeAReply() {
        JsonNode reply = python("import os\nprint('5\\n{\"id\":1}')\nos.write(1, b'99\\n')\n7");
        assertThat(mainText(reply)).isEqualTo("7");
        assertThat(joined(reply.get("stdout"))).isEqualTo("5\n{\"id\":1}\n99\n");
    }

    @Test
    void python_exception_isExecutionErrorWithTypeAndMessage() {
        JsonNode reply = python("print('before')\n{}['missing']");
        assertThat(reply.get("executionError").asText()).isEqualTo("KeyError: 'missing'");
        assertThat(joined(reply.get("stderr"))).contains("KeyError");
        assertThat(reply.get("stdout")).extracting(JsonNode::asText).containsExactly("before\n");
        JsonNode next = python("undefined_name");
        assertThat(next.get("executionError").asText()).isEqualTo("NameError: name 'undefined_name' is not defined");
        assertThat(mainText(python("1 + 1"))).isEqualTo("2");
    }

    @Test
    void python_syntaxError_isExecutionError() {
        JsonNode reply = python("def broken(:\n    pass");
        assertThat(reply.get("executionError").asText()).startsWith("SyntaxError: ");
    }

    @Test
    void python_displayOfRichObjects_givesDisplayResultsWithTheirMimeTypes() {
        requireIpython();
        JsonNode reply = python("from IPython.display import display, HTML, Markdown, SVG, Latex, JSON\n"
                + "display(HTML('<h1>x</h1>'))\n"
                + "display(Markdown('# title'))\n"
                + "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>'))\n"
                + "display(Latex(r'$\\alpha$'))\n"
                + "display(JSON({'a': [1, 2]}))\n"
                + "'done'");
        JsonNode results = reply.get("result");
        assertThat(results).hasSize(6);
        assertThat(results.get(0).get("text/html").asText()).isEqualTo("<h1>x</h1>");
        assertThat(results.get(1).get("text/markdown").asText()).isEqualTo("# title");
        assertThat(results.get(2).get("image/svg+xml").asText()).startsWith("<svg");
        assertThat(results.get(3).get("text/latex").asText()).isEqualTo("$\\alpha$");
        assertThat(results.get(4).get("application/json").get("a")).hasSize(2);
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).get("isMainResult").asBoolean()).isFalse();
        }
        assertThat(results.get(5).get("text/plain").asText()).isEqualTo("'done'");
        assertThat(results.get(5).get("isMainResult").asBoolean()).isTrue();
    }

    @Test
    void python_vegaLiteDisplay_everyResultCarriesTheChartAsAnObject() {
        requireIpython();
        JsonNode reply = python("spec = {'$schema': 'https://vega.github.io/schema/vega-lite/v5.json',"
                + " 'mark': 'bar', 'data': {'values': [{'a': 1}]}}\n"
                + "display({'application/vnd.vegalite.v5+json': spec, 'text/plain': 'chart'}, raw=True)");
        assertThat(reply.get("result")).isNotEmpty();
        for (JsonNode bundle : reply.get("result")) {
            assertThat(bundle.get("application/vnd.vegalite.v5+json").isObject())
                    .as(bundle.toString())
                    .isTrue();
            assertThat(bundle.get("application/vnd.vegalite.v5+json")
                            .get("mark")
                            .asText())
                    .isEqualTo("bar");
            assertThat(bundle.get("isMainResult").asBoolean()).isFalse();
        }
    }

    @Test
    void python_matplotlibFigure_comesBackAsAPng() {
        requireIpython();
        JsonNode has = python("import importlib.util\nimportlib.util.find_spec('matplotlib') is not None");
        assertThat(has.get("result").get(0).get("text/plain").asText())
                .as("matplotlib is not importable by the kernel's Python: install it (pip install matplotlib)")
                .isEqualTo("True");
        JsonNode reply = python("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.title('t')\nNone");
        JsonNode png = null;
        for (JsonNode bundle : reply.get("result")) {
            if (bundle.has("image/png")) {
                png = bundle;
            }
        }
        assertThat(png).as(reply.toString()).isNotNull();
        byte[] bytes = java.util.Base64.getDecoder().decode(png.get("image/png").asText());
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(png.get("isMainResult").asBoolean()).isFalse();
    }

    @Test
    void python_richMainResult_carriesHtmlBesidePlainText() {
        requireIpython();
        JsonNode reply = python("from IPython.display import HTML\nHTML('<b>bold</b>')");
        assertThat(reply.get("result")).hasSize(1);
        JsonNode bundle = reply.get("result").get(0);
        assertThat(bundle.get("isMainResult").asBoolean()).isTrue();
        assertThat(bundle.get("text/html").asText()).isEqualTo("<b>bold</b>");
        assertThat(bundle.has("text/plain")).isTrue();
    }

    @Test
    void python_timeout_interruptsTheKernelWhichKeepsItsState() {
        python("kept = 'yes'");
        long started = System.nanoTime();
        JsonNode reply = run(sandbox, "python", "import time\nprint('started')\ntime.sleep(30)", "timeout_s", 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(reply.get("executionError").asText())
                .contains("timed out after 1 s")
                .contains("interrupted")
                .contains("keeps its state");
        assertThat(reply.get("stdout")).extracting(JsonNode::asText).containsExactly("started\n");
        assertThat(mainText(python("kept"))).isEqualTo("'yes'");
    }

    @Test
    void python_timeoutIgnoringTheInterrupt_restartsTheKernelAndSaysStateIsLost() {
        python("lost = 1");
        JsonNode reply = run(
                sandbox,
                "python",
                "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(30)",
                "timeout_s",
                1);
        assertThat(reply.get("executionError").asText())
                .contains("timed out after 1 s")
                .contains("restarted")
                .contains("lost");
        JsonNode next = python("'lost' in globals()");
        assertThat(mainText(next)).isEqualTo("False");
        assertThat(next.get("execution_count").asInt()).isEqualTo(1); // a new kernel counts from 1
    }

    @Test
    void python_kernelExit_isReportedAndTheNextCallStartsANewKernel() {
        python("x = 1");
        JsonNode reply = python("import os\nos._exit(3)");
        assertThat(reply.get("executionError").asText())
                .startsWith("KernelDied: ")
                .contains("exit code 3");
        assertThat(mainText(python("'x' in globals()"))).isEqualTo("False");
    }

    @Test
    void kernels_ofTwoSessions_doNotShareState() {
        Sandbox other = start("code-other");
        python("secret = 'first'");
        JsonNode reply = run(other, "python", "secret");
        assertThat(reply.get("executionError").asText()).startsWith("NameError");
        run(other, "python", "secret = 'second'");
        assertThat(mainText(python("secret"))).isEqualTo("'first'");
    }

    @Test
    void kernels_dieWhenTheSandboxCloses() {
        python("1");
        run(sandbox, "javascript", "1");
        List<ProcessHandle> processes = ((BubblewrapSandbox) sandbox).kernelProcesses();
        assertThat(processes.size()).isGreaterThanOrEqualTo(4); // nsenter + kernel, per language
        sandbox.close();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(processes).noneMatch(ProcessHandle::isAlive));
        ToolResult after = call(sandbox, "python", "1");
        assertThat(after.isError()).isTrue();
        assertThat(after.text()).contains("not running");
    }

    @Test
    void kernel_runsInsideTheSandbox() {
        JsonNode reply = python("import os, socket\n(os.getcwd(), socket.gethostname(), os.getpid() < 100)");
        assertThat(mainText(reply)).isEqualTo("('/home', 'code', True)");
    }

    // ---- javascript ----

    @Test
    void javascript_stateConsoleLogAndLastExpression() {
        JsonNode first = run(sandbox, "javascript", "let total = 40; var extra = 2; console.log('hello', {a: 1});");
        assertThat(first.get("stdout")).extracting(JsonNode::asText).containsExactly("hello { a: 1 }\n");
        JsonNode second = run(sandbox, "javascript", "console.error('warn'); total + extra");
        assertThat(mainText(second)).isEqualTo("42");
        assertThat(second.get("stderr")).extracting(JsonNode::asText).containsExactly("warn\n");
        assertThat(second.get("execution_count").asInt()).isEqualTo(2);
    }

    @Test
    void javascript_errorAndPromise() {
        JsonNode error = run(sandbox, "javascript", "null.foo");
        assertThat(error.get("executionError").asText()).startsWith("TypeError: Cannot read properties of null");
        JsonNode promise = run(sandbox, "javascript", "new Promise(r => setTimeout(() => r('later'), 10))");
        assertThat(mainText(promise)).isEqualTo("'later'");
    }

    @Test
    void javascript_timeout_interruptsAndTheKernelStillWorks() {
        run(sandbox, "javascript", "globalThis.kept = 5");
        JsonNode reply = run(sandbox, "javascript", "while (true) {}", "timeout_s", 1);
        assertThat(reply.get("executionError").asText()).contains("timed out after 1 s");
        assertThat(mainText(run(sandbox, "javascript", "1 + 1"))).isEqualTo("2");
    }

    // ---- errors ----

    @Test
    void r_keepsStateBetweenCells_printsVisibleValues_andCapturesCatAndMessages() {
        JsonNode set = run(sandbox, "r", "y <- 99\ncat(\"set y\")");
        JsonNode get = run(sandbox, "r", "cat(y, \"\\n\")\ny * 2\nmessage(\"to stderr\")\ninvisible(7)");
        JsonNode frame = run(sandbox, "r", "df <- data.frame(x = 1:2, z = c(\"a\", \"é\"))\nprint(df)");

        assertThat(set.get("executionError").asText()).isEmpty();
        assertThat(set.get("stdout")).extracting(JsonNode::asText).containsExactly("set y");
        assertThat(get.get("stdout").get(0).asText()).isEqualTo("99 \n[1] 198\n");
        assertThat(get.get("stderr").get(0).asText()).isEqualTo("to stderr\n");
        assertThat(frame.get("stdout").get(0).asText()).contains("x z").contains("2 2 é");
    }

    @Test
    void r_errorsAndSyntaxErrors_areExecutionErrors_andTheKernelGoesOn() {
        JsonNode error = run(sandbox, "r", "cat(\"before\\n\")\nstop(\"boom\")\ncat(\"after\")");
        JsonNode syntax = run(sandbox, "r", "x <- (1 +");
        JsonNode warning = run(sandbox, "r", "as.integer(\"x\")");

        assertThat(error.get("executionError").asText()).startsWith("Error: boom");
        assertThat(error.get("stdout")).extracting(JsonNode::asText).containsExactly("before\n");
        assertThat(syntax.get("executionError").asText()).startsWith("SyntaxError: ");
        assertThat(warning.get("executionError").asText()).isEmpty();
        assertThat(warning.get("stderr").get(0).asText())
                .contains("Warning message")
                .contains("NAs introduced");
        assertThat(run(sandbox, "r", "cat(1 + 1)").get("stdout").get(0).asText())
                .isEqualTo("2");
    }

    @Test
    void r_timeout_interruptsTheCell_andTheKernelKeepsItsState() {
        run(sandbox, "r", "kept <- \"yes\"");

        JsonNode reply = run(sandbox, "r", "repeat {}", "timeout_s", 1);

        JsonNode after = run(sandbox, "r", "cat(kept)");

        assertThat(reply.get("executionError").asText()).as(reply.toString()).contains("timed out after 1 s");
        assertThat(after.get("stdout"))
                .as(after.toString())
                .extracting(JsonNode::asText)
                .containsExactly("yes");
    }

    @Test
    void r_missing_isAClearErrorNamingTheRuntime() {
        SandboxConfig config = SandboxConfig.defaults().withRuntime("r", List.of("/nonexistent/Rscript"));
        Sandbox missing = new BubblewrapSandboxRuntime(config)
                .start(new SandboxSpec("code-missing-r", temp.resolve("missing-r"), null));
        try {
            ToolResult result = call(missing, "r", "1 + 1");
            assertThat(result.isError()).isTrue();
            assertThat(result.text()).contains("R is not installed").contains("r-base-core");
        } finally {
            missing.close();
        }
    }

    @Test
    void java_runsInItsJshellKernel() { // more in JavaKernelTest
        run(sandbox, "java", "int x = 41;");
        assertThat(mainText(run(sandbox, "java", "x + 1"))).isEqualTo("42");
    }

    @Test
    void unknownLanguage_isAnErrorListingTheSupportedOnes() {
        ToolResult result = call(sandbox, "cobol", "1");
        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("cobol").contains("python, javascript, java, r");
    }

    @Test
    void missingInterpreter_isAClearErrorNamingIt() {
        SandboxConfig config = SandboxConfig.defaults().withRuntime("python", List.of("/nonexistent/python3"));
        Sandbox missing = new BubblewrapSandboxRuntime(config)
                .start(new SandboxSpec("code-missing", temp.resolve("missing"), null));
        try {
            ToolResult result = call(missing, "python", "1");
            assertThat(result.isError()).isTrue();
            assertThat(result.text()).contains("Python is not installed", "/nonexistent/python3", "python3");
        } finally {
            missing.close();
        }
    }

    @Test
    void plainPythonWithoutIpython_stillGivesMainResultAndDisplay() {
        SandboxConfig config = SandboxConfig.defaults().withRuntime("python", List.of("/usr/bin/python3"));
        Sandbox plain =
                new BubblewrapSandboxRuntime(config).start(new SandboxSpec("code-plain", temp.resolve("plain"), null));
        try {
            JsonNode hasIpython = run(plain, "python", "import importlib.util\nimportlib.util.find_spec('IPython')");
            JsonNode reply = run(plain, "python", "y = 6\ndisplay({'text/html': '<i>i</i>'}, raw=True)\ny * 7");
            assertThat(mainText(reply)).isEqualTo("42");
            assertThat(reply.get("result").get(0).get("text/html").asText()).isEqualTo("<i>i</i>");
            if (!hasIpython.get("result").isEmpty()) {
                return; // this image's /usr/bin/python3 has IPython: the plain engine is not in use
            }
            assertThat(run(plain, "python", "1/0").get("executionError").asText())
                    .isEqualTo("ZeroDivisionError: division by zero");
        } finally {
            plain.close();
        }
    }
}
