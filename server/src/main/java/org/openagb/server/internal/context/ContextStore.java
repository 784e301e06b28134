package org.openagb.server.internal.context;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.openagb.model.UploadMode;
import org.openagb.server.internal.db.Database;

/** Context metadata, always scoped by tenant. Thread-safe. */
public final class ContextStore {
    private static final String COLUMNS = "id, tenant, name, state, kind, owner_session, upload_mode, generation,"
            + " manifest_key, created_at, last_used_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public ContextStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Optional<ContextRecord> byId(String tenant, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM contexts WHERE id = :id AND tenant = :t")
                .bind("id", id)
                .bind("t", tenant)
                .map(ContextStore::map)
                .findOne());
    }

    /** Looks a context up by id whatever its tenant: for internal use by the sync engine only. */
    public Optional<ContextRecord> byIdAnyTenant(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM contexts WHERE id = :id")
                .bind("id", id)
                .map(ContextStore::map)
                .findOne());
    }

    public Optional<ContextRecord> byName(String tenant, String name) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT " + COLUMNS + " FROM contexts WHERE name = :name AND tenant = :t")
                        .bind("name", name)
                        .bind("t", tenant)
                        .map(ContextStore::map)
                        .findOne());
    }

    /**
     * Creates a context, or returns the existing one of that name (idempotent, also under a race between threads
     * or servers sharing the database).
     *
     * <p>The insert is its own auto-committed statement with {@code ON CONFLICT DO NOTHING}, so losing the race on
     * UNIQUE(tenant, name) is not an error (on PostgreSQL it waits for the winner's commit); the winner's row is
     * then read in a new transaction. A unique violation that still gets through is handled the same way.
     */
    public ContextRecord getOrCreate(String tenant, String name, ContextKind kind, String ownerSession) {
        Optional<ContextRecord> existing = byName(tenant, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        String id = "SdkCtx-" + UUID.randomUUID().toString().replace("-", "");
        long now = clock.millis();
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO contexts (" + COLUMNS + ") VALUES (:id, :t, :name,"
                            + " :available, :kind, :owner, NULL, 0, NULL, :now, :now)"
                            + " ON CONFLICT (tenant, name) DO NOTHING")
                    .bind("id", id)
                    .bind("t", tenant)
                    .bind("name", name)
                    .bind("available", ContextState.AVAILABLE.wireName())
                    .bind("kind", kind.dbName())
                    .bind("owner", ownerSession)
                    .bind("now", now)
                    .execute());
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
            // Lost a race on a unique key: the failed statement's transaction is gone; re-read in a new one.
        }
        return byName(tenant, name)
                .orElseThrow(() -> new IllegalStateException("Context '" + name + "' of tenant " + tenant
                        + " was neither created nor found (was it renamed or deleted concurrently?)"));
    }

    /** The ids of every context of every key, internal ones included, in id order from {@code after} (exclusive). */
    public List<String> idsAfter(String after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM contexts WHERE id > :after ORDER BY id LIMIT :n")
                .bind("after", after)
                .bind("n", limit)
                .mapTo(String.class)
                .list());
    }

    /**
     * A page of the tenant's contexts, newest first (ListContexts: a context just created is on the first page, as the
     * official SDKs' tests expect).
     */
    public List<ContextRecord> listUserContextsNewestFirst(String tenant, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM contexts WHERE tenant = :t AND kind = 'user' ORDER BY created_at DESC, id DESC"
                        + " LIMIT :limit OFFSET :offset")
                .bind("t", tenant)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(ContextStore::map)
                .list());
    }

    /** A page of the tenant's contexts, oldest first: a stable order while contexts are added (the storage quota). */
    public List<ContextRecord> listUserContexts(String tenant, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM contexts WHERE tenant = :t AND kind = 'user' ORDER BY created_at, id"
                        + " LIMIT :limit OFFSET :offset")
                .bind("t", tenant)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(ContextStore::map)
                .list());
    }

    public long countUserContexts(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM contexts WHERE tenant = :t AND kind = 'user'")
                .bind("t", tenant)
                .mapTo(Long.class)
                .one());
    }

    public List<ContextRecord> ownedBySession(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM contexts WHERE owner_session = :s")
                .bind("s", sessionId)
                .map(ContextStore::map)
                .list());
    }

    /** Renames a context; false when another context of the tenant has that name (also under a race). */
    public boolean rename(String id, String name) {
        try {
            jdbi.useHandle(h -> h.createUpdate("UPDATE contexts SET name = :name WHERE id = :id")
                    .bind("name", name)
                    .bind("id", id)
                    .execute());
            return true;
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    public void setState(String id, ContextState state) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE contexts SET state = :s WHERE id = :id")
                .bind("s", state.wireName())
                .bind("id", id)
                .execute());
    }

    public void touch(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE contexts SET last_used_at = :now WHERE id = :id")
                .bind("now", clock.millis())
                .bind("id", id)
                .execute());
    }

    /** Deletes the context's row and what the server keeps about it (recycle rules, blob MD5s). */
    public void delete(String id) {
        jdbi.useTransaction(h -> {
            for (String table : List.of("recycle_rules", "blob_md5", "context_versions", "contexts")) {
                h.createUpdate("DELETE FROM " + table + " WHERE " + (table.equals("contexts") ? "id" : "context_id")
                                + " = :id")
                        .bind("id", id)
                        .execute();
            }
        });
    }

    /**
     * Atomic compare-and-set of the head (generation, manifest, upload mode); true if this caller's commit won. A
     * winning commit is recorded in {@code context_versions} in the same transaction, with its file count and bytes
     * (null: unknown).
     */
    public boolean compareAndSetHead(
            String id,
            long expectedGeneration,
            long generation,
            String manifestKey,
            String uploadMode,
            Long files,
            Long bytes) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE contexts SET generation = :g, manifest_key = :k,"
                            + " upload_mode = :m, last_used_at = :now WHERE id = :id AND generation = :expected")
                    .bind("g", generation)
                    .bind("k", manifestKey)
                    .bind("m", uploadMode)
                    .bind("now", now)
                    .bind("id", id)
                    .bind("expected", expectedGeneration)
                    .execute();
            if (n != 1) {
                return false;
            }
            // A row left by an earlier life of this generation number cannot exist (ids are never reused, a
            // generation only grows), but replacing it keeps the history equal to the heads that won.
            h.createUpdate("DELETE FROM context_versions WHERE context_id = :id AND generation = :g")
                    .bind("id", id)
                    .bind("g", generation)
                    .execute();
            h.createUpdate("INSERT INTO context_versions (context_id, generation, manifest_key, upload_mode,"
                            + " committed_at, file_count, total_bytes) VALUES (:id, :g, :k, :m, :now, :files, :bytes)")
                    .bind("id", id)
                    .bind("g", generation)
                    .bind("k", manifestKey)
                    .bind("m", uploadMode)
                    .bind("now", now)
                    .bind("files", files)
                    .bind("bytes", bytes)
                    .execute();
            return true;
        });
    }

    /** A recorded version of a context: one row of {@code context_versions}. */
    public record VersionRow(
            long generation, String manifestKey, String uploadMode, long committedAt, Long files, Long bytes) {}

    /** The recorded versions of a context, newest first. */
    public List<VersionRow> versions(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT generation, manifest_key, upload_mode, committed_at,"
                        + " file_count, total_bytes FROM context_versions WHERE context_id = :id"
                        + " ORDER BY generation DESC")
                .bind("id", id)
                .map((rs, ctx) -> new VersionRow(
                        rs.getLong("generation"),
                        rs.getString("manifest_key"),
                        rs.getString("upload_mode"),
                        rs.getLong("committed_at"),
                        nullableLong(rs, "file_count"),
                        nullableLong(rs, "total_bytes")))
                .list());
    }

    /** Deletes the recorded versions of these generations of a context; returns how many. */
    public int forgetVersions(String id, java.util.Collection<Long> generations) {
        if (generations.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(
                h -> h.createUpdate("DELETE FROM context_versions WHERE context_id = :id AND generation IN (<gens>)")
                        .bind("id", id)
                        .bindList("gens", List.copyOf(generations))
                        .execute());
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static ContextRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ContextRecord(
                rs.getString("id"),
                rs.getString("tenant"),
                rs.getString("name"),
                ContextState.fromWireName(rs.getString("state")),
                ContextKind.fromDbName(rs.getString("kind")),
                rs.getString("owner_session"),
                rs.getString("upload_mode") == null ? null : UploadMode.fromWireName(rs.getString("upload_mode")),
                rs.getLong("generation"),
                rs.getString("manifest_key"),
                rs.getLong("created_at"),
                rs.getLong("last_used_at"));
    }
}
