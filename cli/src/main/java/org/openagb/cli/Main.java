package org.openagb.cli;

import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code openagb} command. Exit status: 0 on success, 1 when the server (or a transfer) refused, 2 on a usage or
 * configuration error; {@code session exec} exits with the command's own exit code.
 */
@Command(
        name = "openagb",
        mixinStandardHelpOptions = true,
        version = "openagb 0.1.0",
        description = "OpenAGB: self-hosted AGB Context Sync — contexts, sandboxed sessions and sync.",
        footer = {
            "",
            "context and session talk to a server. Each setting comes from the first of:",
            "  --endpoint / --api-key",
            "  AGB_ENDPOINT / AGB_API_KEY",
            "  the config file: $OPENAGB_CONFIG, else ~/.config/openagb/config.properties",
            "    (lines endpoint=… and api-key=…)",
            "The endpoint defaults to http://127.0.0.1:8765. See docs/cli.md."
        },
        subcommands = {
            ServerCommand.class,
            GcCommand.class,
            KeysCommand.class,
            ImageCommand.class,
            ContextCommand.class,
            SessionCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    private final Environment environment;

    Main(Environment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(Environment.system(), args);
    }

    /** Runs {@code args} against {@code environment}, printing to the current {@code System.out}/{@code err}. */
    static int run(Environment environment, String... args) {
        return commandLine(environment).execute(args);
    }

    static CommandLine commandLine(Environment environment) {
        return new CommandLine(new Main(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                    if (exception instanceof CliException cli) {
                        commandLine.getErr().println(cli.getMessage());
                        commandLine.getErr().flush();
                        return cli.exitCode();
                    }
                    if (exception instanceof IllegalArgumentException) {
                        // The SDK and the model refuse arguments that can never work before sending anything.
                        commandLine.getErr().println(exception.getMessage());
                        commandLine.getErr().flush();
                        return CliException.USAGE;
                    }
                    throw exception;
                });
    }

    Environment environment() {
        return environment;
    }
}
