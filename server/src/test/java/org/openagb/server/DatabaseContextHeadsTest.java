package org.openagb.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.server.internal.context.ContextKind;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.sync.DatabaseContextHeads;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.ContextHeadsContract;

/**
 * {@link ContextHeadsContract} on the server's database heads: SQLite here, PostgreSQL in {@link
 * DatabaseContextHeadsPostgresTest}. Heads live in the contexts' rows, so each test context is created first.
 */
class DatabaseContextHeadsTest extends ContextHeadsContract {
    @TempDir
    Path dataDir;

    Database database;
    ContextStore contexts;
    DatabaseContextHeads heads;

    @BeforeEach
    void open() {
        database = PostgresExtension.databaseFor(getClass())
                .map(db -> Database.open(dataDir, db.jdbcUrl(), db.user(), db.password()))
                .orElseGet(() -> Database.openSqlite(dataDir));
        contexts = new ContextStore(database.jdbi(), Clock.systemUTC());
        heads = new DatabaseContextHeads(contexts);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Override
    protected ContextHeads heads() {
        return heads;
    }

    @Override
    protected String newContext() {
        return contexts.getOrCreate("tenant-heads", "ctx-" + UUID.randomUUID(), ContextKind.USER, null)
                .id();
    }
}
