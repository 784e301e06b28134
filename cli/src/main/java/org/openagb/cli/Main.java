package org.openagb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code openagb} command. */
@Command(
        name = "openagb",
        mixinStandardHelpOptions = true,
        version = "openagb 0.1.0",
        description = "OpenAGB: self-hosted AGB Context Sync — contexts, sandboxed sessions and sync.",
        subcommands = {ServerCommand.class, KeysCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }
}
