package org.openagb.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code openagb completion}: prints the bash (and zsh) completion script. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print the bash completion script of openagb (also works in zsh with bashcompinit).",
            "Load it with:  source <(openagb completion)"
        })
final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        System.out.print(AutoComplete.bash("openagb", spec.root().commandLine()));
        System.out.flush();
    }
}
