package org.openagb.server.internal.nodes;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.openagb.server.NodeInfo;

/**
 * The nodes sharing the metadata database: each upserts its row on every heartbeat; any node marks down the nodes whose
 * last heartbeat is older than the timeout (one conditional UPDATE, so several nodes doing it at once agree). A node
 * that stops cleanly marks itself STOPPED. Thread-safe.
 */
public final class NodeRegistry {
    private final Jdbi jdbi;

    public NodeRegistry(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records this node as UP with its address, capacity and load, now. */
    public void heartbeat(
            String id, String url, int maxSessions, long memoryBytes, int capacity, int liveSessions, long now) {
        jdbi.useHandle(h -> {
            String update = "UPDATE nodes SET url = :url, max_sessions = :max, memory_bytes = :mem,"
                    + " live_sessions = :live, heartbeat_at = :now, status = :up, capacity = :cap WHERE id = :id";
            String insert = "INSERT INTO nodes (id, url, max_sessions, memory_bytes, live_sessions, started_at,"
                    + " heartbeat_at, status, capacity) VALUES (:id, :url, :max, :mem, :live, :now, :now, :up, :cap)"
                    + " ON CONFLICT (id) DO NOTHING";
            for (String sql : List.of(update, insert)) {
                int n = h.createUpdate(sql)
                        .bind("id", id)
                        .bind("url", url)
                        .bind("max", maxSessions)
                        .bind("mem", memoryBytes)
                        .bind("live", liveSessions)
                        .bind("cap", capacity)
                        .bind("now", now)
                        .bind("up", NodeInfo.Status.UP.name())
                        .execute();
                if (n > 0) {
                    return; // updated its row, or inserted it on the first heartbeat
                }
            }
        });
    }

    /**
     * Marks DOWN every UP node whose last heartbeat is before {@code before}, and LOST the sessions that were RUNNING on
     * a DOWN node (their sandboxes are gone with it; their contexts keep the last checkpoint). Returns how many nodes.
     */
    public int markDown(long before) {
        return jdbi.inTransaction(h -> {
            int nodes = h.createUpdate("UPDATE nodes SET status = :down WHERE status = :up AND heartbeat_at < :before")
                    .bind("down", NodeInfo.Status.DOWN.name())
                    .bind("up", NodeInfo.Status.UP.name())
                    .bind("before", before)
                    .execute();
            h.createUpdate("UPDATE sessions SET status = 'LOST' WHERE status = 'RUNNING' AND node_id IN"
                            + " (SELECT id FROM nodes WHERE status = :down)")
                    .bind("down", NodeInfo.Status.DOWN.name())
                    .execute();
            return nodes;
        });
    }

    /** One node by id, if it ever registered. */
    public java.util.Optional<NodeInfo> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM nodes WHERE id = :id")
                .bind("id", id)
                .map(NodeRegistry::map)
                .findOne());
    }

    /** A node that stops cleanly. */
    public void stopped(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE nodes SET status = :stopped WHERE id = :id")
                .bind("stopped", NodeInfo.Status.STOPPED.name())
                .bind("id", id)
                .execute());
    }

    public List<NodeInfo> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM nodes ORDER BY id")
                .map(NodeRegistry::map)
                .list());
    }

    private static final String COLUMNS =
            "id, url, max_sessions, memory_bytes, live_sessions, started_at, heartbeat_at, status, capacity";

    private static NodeInfo map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new NodeInfo(
                rs.getString("id"),
                rs.getString("url"),
                rs.getInt("max_sessions"),
                rs.getLong("memory_bytes"),
                rs.getInt("live_sessions"),
                rs.getLong("started_at"),
                rs.getLong("heartbeat_at"),
                NodeInfo.Status.valueOf(rs.getString("status")),
                rs.getInt("capacity"));
    }
}
