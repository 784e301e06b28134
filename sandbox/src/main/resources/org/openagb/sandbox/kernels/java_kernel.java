// OpenAGB Java kernel: runs inside a session sandbox, started by org.openagb.sandbox.internal.Kernel through the
// single-file source launcher (java --source 17 DIR/OpenagbJavaKernel.java DIR; it deletes DIR) with fd 3 as its private reply channel (fds 1 and 2 go to
// the kernel log, so child processes cannot forge replies).
// Requests: one JSON object per stdin line {"id", "code"}. Replies: frames "<byte length>\n<UTF-8 JSON>" on fd 3.
// A request with "stream": true also gets its output as it is written, before its reply:
// {"id", "stream": "stdout"|"stderr", "text"}.
// Code runs in one persistent jdk.jshell JShell (local execution engine: user code runs in this JVM); a cell is
// split into snippets with SourceCodeAnalysis.analyzeCompletion; System.out/err writes become stdout/stderr chunks;
// the value of a final expression is the main result, as JShell's value text. SIGINT stops the running snippet.
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

public class OpenagbJavaKernel {
    static final PrintStream LOG = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    static final String[] DEFAULT_IMPORTS = {
        "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*", "java.util.concurrent.*",
        "java.util.function.*", "java.util.regex.*", "java.util.stream.*",
    };

    static int outputCap;
    static OutputStream proto;
    static Capture out;
    static Capture err;
    static JShell shell;
    static volatile boolean running;
    static volatile boolean interrupted;
    static volatile long executionStarted;
    /** The id of the running request when it streams its output, else null. */
    static volatile Object streamId;
    static final long STALE_INTERRUPT_NANOS = 300_000_000L;

    /** An output stream on an inherited descriptor (the launcher's {@code 3>&1}); needs java.io opened. */
    static FileOutputStream descriptor(int number) throws Exception {
        java.io.FileDescriptor fd = new java.io.FileDescriptor();
        java.lang.reflect.Field field = java.io.FileDescriptor.class.getDeclaredField("fd");
        field.setAccessible(true);
        field.setInt(fd, number);
        return new FileOutputStream(fd);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) { // the launcher's private directory holding this source: compiled, so no longer needed
            java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
            java.nio.file.Files.deleteIfExists(dir.resolve("OpenagbJavaKernel.java"));
            java.nio.file.Files.deleteIfExists(dir);
        }
        proto = descriptor(3);
        try {
            outputCap = Integer.parseInt(System.getenv().getOrDefault("OPENAGB_OUTPUT_CAP", ""));
        } catch (NumberFormatException e) {
            outputCap = 1024 * 1024;
        }
        out = new Capture("stdout");
        err = new Capture("stderr");
        PrintStream userOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream userErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(userOut);
        System.setErr(userErr);
        shell = JShell.builder().executionEngine("local").out(userOut).err(userErr).build();
        for (String pkg : DEFAULT_IMPORTS) {
            shell.eval("import " + pkg + ";");
        }
        installInterruptHandler();
        out.take();
        err.take();

        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("ready", true);
        ready.put("language", "java");
        ready.put("pid", ProcessHandle.current().pid());
        ready.put("executable", ProcessHandle.current().info().command().orElse(System.getProperty("java.home")));
        ready.put("version", System.getProperty("java.version"));
        send(ready);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> request = Json.parseObject(line);
            Object id = request.get("id");
            String code = String.valueOf(request.getOrDefault("code", ""));
            streamId = Boolean.TRUE.equals(request.get("stream")) ? id : null;
            send(execute(id, code));
        }
        System.exit(0);
    }

    /** SIGINT (the host's interrupt on timeout) stops the running snippet instead of ending the JVM. */
    static void installInterruptHandler() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(
                    handlerType.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle":
                                onInterrupt();
                                return null;
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                return "openagb-interrupt";
                        }
                    });
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance("INT"), handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.println("openagb-kernel: cannot handle SIGINT: " + e);
        }
    }

    static void onInterrupt() {
        // The host interrupts only after a timeout of at least a second, and signals both the JVM and its process
        // group: a SIGINT handled while nothing runs, or right after a call started, was meant for the previous call.
        if (!running || System.nanoTime() - executionStarted < STALE_INTERRUPT_NANOS) {
            LOG.println("openagb-kernel: interrupt ignored (running=" + running + ", "
                    + (System.nanoTime() - executionStarted) / 1_000_000 + " ms into the call)");
            return;
        }
        LOG.println("openagb-kernel: interrupt: stopping the running snippet");
        interrupted = true;
        try {
            shell.stop();
        } catch (RuntimeException e) {
            LOG.println("openagb-kernel: stop failed: " + e);
        }
    }

    static Map<String, Object> execute(Object id, String code) {
        long started = System.nanoTime();
        List<Map<String, Object>> results = new ArrayList<>();
        String error = "";
        interrupted = false;
        executionStarted = started;
        running = true;
        try {
            String remaining = code;
            String lastValue = null;
            while (!remaining.isBlank() && error.isEmpty()) {
                SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
                String source;
                switch (info.completeness()) {
                    case COMPLETE:
                    case COMPLETE_WITH_SEMI:
                        source = info.source();
                        remaining = info.remaining();
                        break;
                    case EMPTY:
                        if (info.remaining().length() >= remaining.length()) {
                            remaining = "";
                        } else {
                            remaining = info.remaining();
                        }
                        continue;
                    default: // incomplete or unknown: let the compiler say what is wrong with the rest
                        source = remaining;
                        remaining = "";
                        break;
                }
                lastValue = null;
                Outcome outcome = evalSnippet(source);
                error = outcome.error;
                lastValue = outcome.value;
                if (interrupted) {
                    error = "InterruptedError: execution was interrupted";
                }
            }
            if (error.isEmpty() && lastValue != null) {
                Map<String, Object> bundle = new LinkedHashMap<>();
                bundle.put("text/plain", lastValue);
                bundle.put("isMainResult", true);
                results.add(bundle);
            }
        } catch (RuntimeException e) {
            error = e.getClass().getName() + ": " + e.getMessage();
            e.printStackTrace(System.err);
        } finally {
            running = false;
        }
        if (interrupted && error.isEmpty()) {
            error = "InterruptedError: execution was interrupted";
        }
        System.out.flush();
        System.err.flush();
        List<String> stdout = out.take();
        List<String> stderr = err.take();
        streamId = null;
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", id);
        reply.put("results", results);
        reply.put("stdout", stdout);
        reply.put("stderr", stderr);
        reply.put("error", error);
        reply.put("time", (System.nanoTime() - started) / 1e9);
        return reply;
    }

    static final class Outcome {
        String error = "";
        String value;
    }

    static Outcome evalSnippet(String source) {
        Outcome outcome = new Outcome();
        List<SnippetEvent> events = shell.eval(source);
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // an update of a dependent snippet
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                List<Diag> diags = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
                if (diags.isEmpty()) {
                    diags = shell.diagnostics(snippet).collect(Collectors.toList());
                }
                String first = diags.isEmpty()
                        ? "the snippet was rejected: " + firstLine(source)
                        : oneLine(diags.get(0).getMessage(Locale.ROOT));
                outcome.error = "CompilationError: " + first;
                for (Diag diag : diags) {
                    System.err.println(describe(snippet.source(), diag));
                }
                return outcome;
            }
            JShellException exception = event.exception();
            if (exception != null) {
                outcome.error = exceptionText(exception);
                printStack(exception);
                return outcome;
            }
            if (snippet instanceof DeclarationSnippet
                    && (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                            || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                List<String> missing = shell.unresolvedDependencies((DeclarationSnippet) snippet)
                        .collect(Collectors.toList());
                if (!missing.isEmpty()) {
                    System.err.println("note: " + ((DeclarationSnippet) snippet).name()
                            + " cannot be used until " + String.join(", ", missing) + " is declared");
                }
            }
            if (isExpression(snippet) && event.value() != null) {
                outcome.value = event.value();
            }
        }
        return outcome;
    }

    static boolean isExpression(Snippet snippet) {
        if (snippet instanceof ExpressionSnippet) {
            return true;
        }
        return snippet instanceof VarSnippet
                && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    static String exceptionText(JShellException exception) {
        if (exception instanceof EvalException) {
            EvalException eval = (EvalException) exception;
            String message = eval.getMessage();
            return eval.getExceptionClassName() + (message == null ? "" : ": " + oneLine(message));
        }
        if (exception instanceof UnresolvedReferenceException) {
            DeclarationSnippet snippet = ((UnresolvedReferenceException) exception).getSnippet();
            List<String> missing = shell.unresolvedDependencies(snippet).collect(Collectors.toList());
            return "UnresolvedReferenceException: " + snippet.name() + " cannot be used until "
                    + (missing.isEmpty() ? "its dependencies are" : String.join(", ", missing) + " is") + " declared";
        }
        return exception.getClass().getSimpleName() + ": " + exception.getMessage();
    }

    static void printStack(Throwable exception) {
        PrintStream stderr = System.err;
        String head = exception instanceof EvalException
                ? ((EvalException) exception).getExceptionClassName()
                        + (exception.getMessage() == null ? "" : ": " + exception.getMessage())
                : exceptionText((JShellException) exception);
        stderr.println(head);
        for (StackTraceElement frame : exception.getStackTrace()) {
            stderr.println("\tat " + frame(frame));
        }
        Throwable cause = exception.getCause();
        int depth = 0;
        while (cause != null && depth++ < 10) {
            String name = cause instanceof EvalException ? ((EvalException) cause).getExceptionClassName()
                    : cause.getClass().getName();
            stderr.println("Caused by: " + name + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            for (StackTraceElement frame : cause.getStackTrace()) {
                stderr.println("\tat " + frame(frame));
            }
            cause = cause.getCause();
        }
    }

    /** A stack frame; a frame in a snippet reads like jshell's own: {@code sq (#3:1)}. */
    static String frame(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) {
            return frame.toString();
        }
        String type = frame.getClassName().replaceFirst("^REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?", "");
        String method = frame.getMethodName();
        String name = (type.isEmpty() ? "" : type + ".") + method;
        return (name.isEmpty() || name.equals("do_it$") ? "" : name + " ") + "(" + file + ":" + frame.getLineNumber() + ")";
    }

    /** A javac-style diagnostic: message, the source line and a caret under the position. */
    static String describe(String source, Diag diag) {
        StringBuilder text = new StringBuilder();
        text.append(diag.isError() ? "error: " : "warning: ").append(diag.getMessage(Locale.ROOT));
        long pos = diag.getPosition();
        if (pos >= 0 && pos <= source.length()) {
            int start = source.lastIndexOf('\n', (int) Math.max(0, pos - 1)) + 1;
            if (pos == 0) {
                start = 0;
            }
            int end = source.indexOf('\n', (int) pos);
            if (end < 0) {
                end = source.length();
            }
            if (start <= end) {
                text.append('\n').append(source, start, end).append('\n');
                text.append(" ".repeat((int) Math.max(0, pos - start))).append('^');
            }
        }
        return text.toString();
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    static String firstLine(String text) {
        String stripped = text.strip();
        int nl = stripped.indexOf('\n');
        return nl < 0 ? stripped : stripped.substring(0, nl) + " …";
    }

    static synchronized void send(Map<String, Object> message) {
        byte[] data = Json.write(message).getBytes(StandardCharsets.UTF_8);
        try {
            proto.write((data.length + "\n").getBytes(StandardCharsets.US_ASCII));
            proto.write(data);
            proto.flush();
        } catch (IOException e) {
            LOG.println("openagb-kernel: reply channel closed: " + e);
            System.exit(1);
        }
    }

    /**
     * Captures one user stream as bytes, capped; {@link #take} returns its text split into lines. While a request
     * streams, each write is also sent as a stream frame (an incomplete UTF-8 sequence at its end waits for the next).
     */
    static final class Capture extends OutputStream {
        private final String name;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final ByteArrayOutputStream unsent = new ByteArrayOutputStream();
        private boolean truncated;

        Capture(String name) {
            this.name = name;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            int room = outputCap - buffer.size();
            boolean cut = length > room;
            if (cut) {
                length = Math.max(0, room);
            }
            buffer.write(bytes, offset, length);
            Object request = streamId;
            if (request != null) {
                unsent.write(bytes, offset, length);
                stream(request, false);
                if (cut && !truncated) {
                    stream(request, true);
                    streamText(request, note());
                }
            }
            truncated |= cut;
        }

        private String note() {
            return "[" + name + " truncated after " + outputCap + " bytes]\n";
        }

        /** Sends what is unsent: all of it, or up to the last complete UTF-8 sequence. */
        private void stream(Object request, boolean all) {
            byte[] bytes = unsent.toByteArray();
            int end = all ? bytes.length : completeUtf8(bytes);
            unsent.reset();
            unsent.write(bytes, end, bytes.length - end);
            streamText(request, new String(bytes, 0, end, StandardCharsets.UTF_8));
        }

        private void streamText(Object request, String text) {
            if (text.isEmpty()) {
                return;
            }
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("id", request);
            frame.put("stream", name);
            frame.put("text", text);
            send(frame);
        }

        /** The length of the longest prefix of {@code bytes} that does not end inside a UTF-8 sequence. */
        static int completeUtf8(byte[] bytes) {
            for (int i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
                int b = bytes[i] & 0xff;
                if ((b & 0xc0) == 0x80) {
                    continue; // a continuation byte: look further back for its lead
                }
                int needed = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
                return i + needed > bytes.length ? i : bytes.length;
            }
            return bytes.length;
        }

        synchronized List<String> take() {
            Object request = streamId;
            if (request != null && !truncated) {
                stream(request, true);
            }
            unsent.reset();
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            List<String> chunks = new ArrayList<>();
            int from = 0;
            int nl;
            while ((nl = text.indexOf('\n', from)) >= 0) {
                chunks.add(text.substring(from, nl + 1));
                from = nl + 1;
            }
            if (from < text.length()) {
                chunks.add(text.substring(from));
            }
            if (truncated) {
                chunks.add(note());
                truncated = false;
            }
            return chunks;
        }
    }

    /** Just enough JSON: requests are flat objects; replies are maps, lists, strings, numbers and booleans. */
    static final class Json {
        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> parseObject(String text) {
            Object value = new Json(text).value();
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException("request is not a JSON object");
            }
            return (Map<String, Object>) value;
        }

        private Object value() {
            skipSpace();
            char c = text.charAt(pos);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                pos++;
                skipSpace();
                if (text.charAt(pos) == '}') {
                    pos++;
                    return map;
                }
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    map.put(key, value());
                    skipSpace();
                    if (text.charAt(pos) == ',') {
                        pos++;
                        continue;
                    }
                    expect('}');
                    return map;
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                pos++;
                skipSpace();
                if (text.charAt(pos) == ']') {
                    pos++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skipSpace();
                    if (text.charAt(pos) == ',') {
                        pos++;
                        continue;
                    }
                    expect(']');
                    return list;
                }
            }
            if (c == '"') {
                return string();
            }
            int start = pos;
            while (pos < text.length() && ",}] \t\r\n".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            String word = text.substring(start, pos);
            switch (word) {
                case "true":
                    return true;
                case "false":
                    return false;
                case "null":
                    return null;
                default:
                    return word.contains(".") || word.contains("e") || word.contains("E")
                            ? (Object) Double.parseDouble(word)
                            : (Object) Long.parseLong(word);
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                        break;
                    default: out.append(e); break;
                }
            }
        }

        private void expect(char c) {
            if (text.charAt(pos) != c) {
                throw new IllegalArgumentException("bad JSON at " + pos + ": expected " + c);
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List) {
                out.append('[');
                boolean first = true;
                for (Object item : (List<?>) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
                out.append(value);
            } else if (value instanceof Double) {
                double d = (Double) value;
                out.append(Double.isFinite(d) ? Double.toString(d) : "0");
            } else {
                writeString(String.valueOf(value), out);
            }
        }

        private static void writeString(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"': out.append("\\\""); break;
                    case '\\': out.append("\\\\"); break;
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    case '\t': out.append("\\t"); break;
                    default:
                        if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF && !validSurrogate(s, i))) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                }
            }
            out.append('"');
        }

        /** Whether the surrogate at {@code i} is half of a valid pair (a lone one would make invalid UTF-8). */
        private static boolean validSurrogate(String s, int i) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            }
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
    }
}
