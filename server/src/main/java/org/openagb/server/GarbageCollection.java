package org.openagb.server;

import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.gc.GcService;
import org.openagb.server.internal.sync.DatabaseContextHeads;
import org.openagb.storage.LocalObjectStore;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.s3.S3ObjectStore;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.SyncOptions;

/**
 * One garbage collection run over the storage a server configuration names, without starting a server
 * ({@code openagb gc}): safe while servers run on the same storage, since collection only deletes what is both
 * unreferenced and older than {@link ServerConfig#gcGrace()}. Give it the servers' {@link
 * ServerConfig#versionRetention()}: a shorter one forgets versions the servers would still offer.
 */
public final class GarbageCollection {
    private GarbageCollection() {}

    public static GcSummary run(ServerConfig config) {
        try (Database database = Database.open(
                config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
            ObjectStore objects = config.s3() == null
                    ? new LocalObjectStore(config.dataDir().resolve("objects"))
                    : new S3ObjectStore(config.s3());
            try (SyncEngine engine = SyncEngine.create(
                    objects,
                    new DatabaseContextHeads(new ContextStore(database.jdbi(), config.clock())),
                    config.clock(),
                    SyncOptions.defaults()
                            .withTempDir(config.dataDir().resolve("tmp"))
                            .withVersionRetention(config.versionRetention()))) {
                return new GcService(
                                new ContextStore(database.jdbi(), config.clock()),
                                engine,
                                config.gcGrace(),
                                config.clock())
                        .collectAll();
            } finally {
                if (objects instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception ignored) {
                        // best effort
                    }
                }
            }
        }
    }
}
