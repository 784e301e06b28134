package org.openagb.server.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The metadata database: a connection pool, migrated to the current schema on open. The embedded default is a
 * SQLite file in WAL mode; a JDBC URL of PostgreSQL (for scale-out: several servers sharing one database) works
 * with the same schema and statements.
 *
 * <p>Portability rules for every statement and migration: lower-case unquoted identifiers; {@code VARCHAR},
 * {@code TEXT}, {@code INTEGER} and {@code BIGINT} only (times are epoch milliseconds, no booleans); upserts as
 * {@code INSERT ... ON CONFLICT (...) DO UPDATE/NOTHING}; {@code LIMIT :n OFFSET :m}; a concurrent writer's
 * conflict is either avoided with {@code ON CONFLICT} or detected with {@link #isUniqueViolation} and handled in a
 * new transaction (on PostgreSQL an error aborts the whole transaction it happened in).
 *
 * <p>Thread-safe. {@link #close()} closes the pool.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException | Error e) {
            dataSource.close();
            throw e;
        }
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

    /**
     * Opens the metadata database of a server: the JDBC URL when one is given (PostgreSQL for scale-out), else the
     * embedded SQLite file in {@code dataDir}.
     */
    public static Database open(Path dataDir, String jdbcUrl, String user, String password) {
        return jdbcUrl == null ? openSqlite(dataDir) : open(jdbcUrl, user, password);
    }

    /** Opens a database by JDBC URL (PostgreSQL for scale-out). */
    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setPoolName("openagb-db");
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("ApplicationName", "openagb-server");
            // Fail fast when the database is unreachable instead of hanging a request.
            config.addDataSourceProperty("connectTimeout", "10");
        }
        try {
            return new Database(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot open the metadata database '" + jdbcUrl + "'"
                            + (user == null ? "" : " as user '" + user + "'") + ": " + rootMessage(e)
                            + " (check that the database exists, is reachable and accepts these credentials)",
                    e);
        }
    }

    /**
     * Whether {@code e} (or a cause) is a violation of a UNIQUE or PRIMARY KEY constraint: SQLSTATE 23505 on
     * PostgreSQL, {@code SQLITE_CONSTRAINT_UNIQUE}/{@code _PRIMARYKEY} on SQLite.
     */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                if ("23505".equals(sql.getSQLState())) {
                    return true;
                }
                // sqlite-jdbc: extended result codes 2067 (UNIQUE) and 1555 (PRIMARYKEY); base code 19.
                int code = sql.getErrorCode();
                String message = String.valueOf(sql.getMessage());
                if (code == 2067
                        || code == 1555
                        || (code == 19 && (message.contains("UNIQUE") || message.contains("PRIMARYKEY")))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
