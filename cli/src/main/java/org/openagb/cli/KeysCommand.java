package org.openagb.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openagb.server.KeyAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code openagb keys create|list|revoke}: API keys (tenants) of a data directory. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage API keys (each key is a tenant).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
    @Option(
            names = "--data-dir",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default $OPENAGB_DATA_DIR or ~/.openagb)")
    Path dataDir;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret once.")
    static final class Create implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Option(names = "--name", required = true, description = "A name for the key, e.g. ci")
        String name;

        @Override
        public Integer call() {
            try (KeyAdmin admin = KeyAdmin.open(DataDir.resolve(parent.dataDir))) {
                var key = admin.create(name);
                System.out.println("Created key " + key.get(0) + " (" + name + "). Its secret is shown only now:");
                System.out.println(key.get(1));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() {
            try (KeyAdmin admin = KeyAdmin.open(DataDir.resolve(parent.dataDir))) {
                System.out.printf("%-18s %-20s %-26s %s%n", "ID", "NAME", "CREATED", "STATUS");
                for (KeyAdmin.Key k : admin.list()) {
                    System.out.printf(
                            "%-18s %-20s %-26s %s%n",
                            k.id(), k.name(), k.created(), k.revoked() == null ? "active" : "revoked " + k.revoked());
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id or name.")
    static final class Revoke implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Parameters(paramLabel = "KEY", description = "Key id or name")
        String key;

        @Override
        public Integer call() {
            try (KeyAdmin admin = KeyAdmin.open(DataDir.resolve(parent.dataDir))) {
                if (!admin.revoke(key)) {
                    System.err.println("No active key with id or name '" + key + "' ('openagb keys list' shows them)");
                    return 1;
                }
                System.out.println("Revoked " + key);
            }
            return 0;
        }
    }
}
