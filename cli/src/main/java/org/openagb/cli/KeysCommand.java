package org.openagb.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    @picocli.CommandLine.ParentCommand
    Main main;

    @Option(
            names = "--data-dir",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default $OPENAGB_DATA_DIR or ~/.openagb)")
    Path dataDir;

    @Option(
            names = "--database-url",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "JDBC URL of a shared metadata database, as for `server` (password from"
                    + " $OPENAGB_DATABASE_PASSWORD); default: the SQLite file of the data dir")
    String databaseUrl;

    @Option(
            names = "--database-user",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "User of --database-url")
    String databaseUser;

    /** The keys of the database these options name. */
    KeyAdmin admin() {
        return KeyAdmin.open(
                DataDir.resolve(dataDir, main.environment()),
                databaseUrl,
                databaseUser,
                main.environment().variable("OPENAGB_DATABASE_PASSWORD"));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret once.")
    static final class Create implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Option(names = "--name", required = true, description = "A name for the key, e.g. ci")
        String name;

        @Option(names = "--json", description = "Print {id, name, secret} as JSON")
        boolean json;

        @Override
        public Integer call() {
            try (KeyAdmin admin = parent.admin()) {
                var key = admin.create(name);
                if (json) {
                    Map<String, Object> created = new LinkedHashMap<>();
                    created.put("id", key.get(0));
                    created.put("name", name);
                    created.put("secret", key.get(1));
                    new Output(System.out, System.err, true).printJson(created);
                    return 0;
                }
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

        @Option(names = "--json", description = "Print the keys as a JSON array")
        boolean json;

        @Override
        public Integer call() {
            try (KeyAdmin admin = parent.admin()) {
                if (json) {
                    List<Map<String, Object>> keys = new ArrayList<>();
                    for (KeyAdmin.Key k : admin.list()) {
                        Map<String, Object> key = new LinkedHashMap<>();
                        key.put("id", k.id());
                        key.put("name", k.name());
                        key.put("created", String.valueOf(k.created()));
                        key.put(
                                "revoked",
                                k.revoked() == null ? null : k.revoked().toString());
                        keys.add(key);
                    }
                    new Output(System.out, System.err, true).printJson(keys);
                    return 0;
                }
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
            try (KeyAdmin admin = parent.admin()) {
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
