package org.openagb.server.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The metadata database: a connection pool, migrated to the current schema on open. The embedded default is a
 * SQLite file in WAL mode; a JDBC URL of PostgreSQL works with the same schema.
 *
 * <p>Thread-safe. {@link #close()} closes the pool.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens (creating and migrating if needed) the SQLite database {@code metadata.db} in {@code dataDir}. */
    public static Database openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create data directory '" + dataDir + "': " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("metadata.db"));
        config.setMaximumPoolSize(4);
        config.setPoolName("openagb-sqlite");
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.setConnectionInitSql("PRAGMA busy_timeout=10000");
        return new Database(new HikariDataSource(config));
    }

    /** Opens a database by JDBC URL (PostgreSQL for scale-out). */
    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("openagb-db");
        return new Database(new HikariDataSource(config));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
