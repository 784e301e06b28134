package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.model.UploadMode;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.sync.DatabaseContextHeads;
import org.openagb.sync.ContextVersion;
import org.openagb.sync.Head;
import org.openagb.sync.VersionStats;

/** V6 on a database that already holds contexts: each committed head becomes the context's first version. */
class ContextVersionsMigrationTest {
    @TempDir
    Path dataDir;

    @Test
    void upgrading_recordsEachCommittedHeadAsAVersion_withStatsUnknown_andLeavesEmptyContextsWithout()
            throws Exception {
        String url = "jdbc:sqlite:" + dataDir.resolve("metadata.db");
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO contexts (id, tenant, name, state, kind, owner_session, upload_mode,"
                    + " generation, manifest_key, created_at, last_used_at) VALUES ('SdkCtx-old', 't', 'old',"
                    + " 'available', 'user', NULL, 'File', 3, 'manifests/SdkCtx-old/3-x', 1000, 1700000000000)");
            s.executeUpdate("INSERT INTO contexts (id, tenant, name, state, kind, owner_session, upload_mode,"
                    + " generation, manifest_key, created_at, last_used_at) VALUES ('SdkCtx-new', 't', 'new',"
                    + " 'available', 'user', NULL, NULL, 0, NULL, 1000, 1000)");
        }

        try (Database database = Database.openSqlite(dataDir)) {
            DatabaseContextHeads heads =
                    new DatabaseContextHeads(new ContextStore(database.jdbi(), java.time.Clock.systemUTC()));

            assertThat(heads.versions("SdkCtx-old"))
                    .containsExactly(new ContextVersion(
                            3,
                            "manifests/SdkCtx-old/3-x",
                            UploadMode.FILE,
                            Instant.ofEpochMilli(1_700_000_000_000L),
                            VersionStats.UNKNOWN));
            assertThat(heads.versions("SdkCtx-new")).isEmpty();
            // the next commit is recorded next to it
            assertThat(heads.compareAndSet(
                            "SdkCtx-old",
                            3,
                            new Head(4, "manifests/SdkCtx-old/4-y", UploadMode.FILE),
                            new VersionStats(1, 2)))
                    .isTrue();
            assertThat(heads.versions("SdkCtx-old"))
                    .extracting(ContextVersion::generation)
                    .containsExactly(4L, 3L);
        }
    }
}
