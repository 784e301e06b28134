package org.openagb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openagb.sdk.CommandResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code openagb session exec}: a shell command in a session, with its output and exit code. */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run COMMAND in session ID; print its stdout and stderr and exit with its exit code.",
            "Options go before '--'; a single COMMAND argument is run by the shell as is, several are quoted."
        },
        footer = {"", "Example:", "  openagb session exec $ID -- sh -c 'echo hi > /home/project/hello.txt'"})
final class SessionExec extends SessionCommand.Sub {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:@%+,-]+");

    @Parameters(index = "0", paramLabel = "ID", description = "Session id")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "Command and arguments")
    List<String> command;

    @Option(
            names = "--timeout-ms",
            paramLabel = "N",
            description = "Kill the command after N ms, exit code 124 (default ${DEFAULT-VALUE})")
    int timeoutMs = 60_000;

    @Option(names = "--cwd", paramLabel = "D", description = "Working directory in the session")
    String cwd;

    @Override
    public Integer call() {
        if (timeoutMs <= 0) {
            throw CliException.usage("Cannot use --timeout-ms '" + timeoutMs + "': it must be positive");
        }
        String line = shellLine(command);
        CommandResult result = session(id).command().execute(line, timeoutMs, cwd, null);
        if (!result.success() && result.exitCode() < 0) {
            throw CliException.failed("Cannot run '" + line + "' in session '" + id + "': "
                    + (result.errorMessage().isBlank() ? "the server gave no reason" : result.errorMessage()));
        }
        Output out = out();
        if (out.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sessionId", id);
            json.put("command", line);
            json.put("exitCode", result.exitCode());
            json.put("stdout", result.stdout());
            json.put("stderr", result.stderr());
            out.printJson(json);
        } else {
            out.out().print(result.stdout());
            out.out().flush();
            out.err().print(result.stderr());
            out.err().flush();
        }
        return result.exitCode();
    }

    /** One argument is a shell line already; several are quoted so that the shell sees them unchanged. */
    static String shellLine(List<String> args) {
        if (args.size() == 1) {
            return args.get(0);
        }
        List<String> quoted = new ArrayList<>();
        for (String arg : args) {
            quoted.add(PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
