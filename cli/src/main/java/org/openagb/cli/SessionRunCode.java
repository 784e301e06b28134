package org.openagb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openagb.sdk.CodeResultItem;
import org.openagb.sdk.CodeRunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code openagb session run-code}: code in the session's kernel of a language. */
@Command(
        name = "run-code",
        mixinStandardHelpOptions = true,
        description = "Run CODE (or the file given with -f) in the session's kernel of the language; prints its"
                + " output and the value of the last expression.")
final class SessionRunCode extends SessionCommand.Sub {
    @Parameters(index = "0", paramLabel = "ID", description = "Session id")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CODE", description = "The code (or use -f)")
    String code;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Read the code from FILE ('-': stdin) instead of CODE")
    String file;

    @Option(
            names = {"-l", "--language"},
            paramLabel = "LANG",
            description = "python, javascript, java or r (default ${DEFAULT-VALUE})")
    String language = "python";

    @Option(names = "--timeout-s", paramLabel = "N", description = "Stop after N seconds (default ${DEFAULT-VALUE})")
    int timeoutS = 60;

    @Override
    public Integer call() throws IOException {
        if ((code == null) == (file == null)) {
            throw CliException.usage("Cannot run code in session '" + id
                    + "': give the code either as CODE or with -f FILE (not both, not neither)");
        }
        if (file != null) {
            code = file.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : readFile(Path.of(file));
        }
        CodeRunResult result = session(id).code().run(code, language, timeoutS);
        String mainResult = result.mainResult().flatMap(CodeResultItem::text).orElse(null);
        Output out = out();
        if (out.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sessionId", id);
            json.put("success", result.success());
            json.put("errorMessage", result.errorMessage());
            json.put("stdout", String.join("", result.stdout()));
            json.put("stderr", String.join("", result.stderr()));
            json.put("result", mainResult);
            json.put("executionCount", result.executionCount());
            out.printJson(json);
        } else {
            out.out().print(String.join("", result.stdout()));
            if (mainResult != null) {
                out.out().println(mainResult);
            }
            out.out().flush();
            out.err().print(String.join("", result.stderr()));
            out.err().flush();
        }
        if (!result.success()) {
            throw CliException.failed("Cannot run code in session '" + id + "': "
                    + (result.errorMessage().isBlank() ? "the server gave no reason" : result.errorMessage()));
        }
        return 0;
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("Cannot read code file '" + file + "': " + e.getMessage());
        }
    }
}
