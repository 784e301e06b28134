package org.openagb.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.keys.ApiKeyStore;

/**
 * Manages the API keys of a data directory without a running server (the embedded SQLite database allows a
 * second process), or of a shared metadata database (PostgreSQL) by JDBC URL. Each key is a tenant. Close it when
 * done.
 */
public final class KeyAdmin implements AutoCloseable {
    /** A key as listed: never its secret, which is only shown when it is created. */
    public record Key(String id, String name, Instant created, Instant revoked) {}

    private final Database database;
    private final ApiKeyStore keys;

    private KeyAdmin(Database database) {
        this.database = database;
        this.keys = new ApiKeyStore(database.jdbi(), Clock.systemUTC());
    }

    /** The keys of the embedded SQLite database in {@code dataDir}. */
    public static KeyAdmin open(Path dataDir) {
        return new KeyAdmin(Database.openSqlite(dataDir));
    }

    /**
     * The keys of the metadata database at {@code databaseUrl} (for example
     * {@code jdbc:postgresql://db:5432/openagb}); a null URL is the embedded SQLite database in {@code dataDir},
     * as with {@link ServerConfig#databaseUrl()}.
     */
    public static KeyAdmin open(Path dataDir, String databaseUrl, String user, String password) {
        return new KeyAdmin(Database.open(dataDir, databaseUrl, user, password));
    }

    /** Creates a key and returns {@code [id, secret]}. */
    public List<String> create(String name) {
        ApiKeyStore.NewKey key = keys.create(name);
        return List.of(key.id(), key.secret());
    }

    public List<Key> list() {
        return keys.list().stream()
                .map(k -> new Key(
                        k.id(),
                        k.name(),
                        Instant.ofEpochMilli(k.createdAt()),
                        k.revokedAt() == null ? null : Instant.ofEpochMilli(k.revokedAt())))
                .toList();
    }

    /** Revokes by id or name; false when no active key matched. */
    public boolean revoke(String idOrName) {
        return keys.revoke(idOrName);
    }

    @Override
    public void close() {
        database.close();
    }
}
