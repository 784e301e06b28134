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
    public void heartbeat(String id, String url, int maxSessions, long memoryBytes, int liveSessions, long now) {
        jdbi.useHandle(h -> {
            String update = "UPDATE nodes SET url = :url, max_sessions = :max, memory_bytes = :mem,"
                    + " live_sessions = :live, heartbeat_at = :now, status = :up WHERE id = :id";
            String insert = "INSERT INTO nodes (id, url, max_sessions, memory_bytes, live_sessions, started_at,"
                    + " heartbeat_at, status) VALUES (:id, :url, :max, :mem, :live, :now, :now, :up)"
                    + " ON CONFLICT (id) DO NOTHING";
            for (String sql : List.of(update, insert)) {
                int n = h.createUpdate(sql)
                        .bind("id", id)
                        .bind("url", url)
                        .bind("max", maxSessions)
                        .bind("mem", memoryBytes)
                        .bind("live", liveSessions)
                        .bind("now", now)
                        .bind("up", NodeInfo.Status.UP.name())
                        .execute();
                if (n > 0) {
                    return; // updated its row, or inserted it on the first heartbeat
                }
            }
        });
    }

    /** Marks DOWN every UP node whose last heartbeat is before {@code before}; returns how many. */
    public int markDown(long before) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE nodes SET status = :down WHERE status = :up AND" + " heartbeat_at < :before")
                .bind("down", NodeInfo.Status.DOWN.name())
                .bind("up", NodeInfo.Status.UP.name())
                .bind("before", before)
                .execute());
    }

    /** A node that stops cleanly. */
    public void stopped(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE nodes SET status = :stopped WHERE id = :id")
                .bind("stopped", NodeInfo.Status.STOPPED.name())
                .bind("id", id)
                .execute());
    }

    public List<NodeInfo> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, url, max_sessions, memory_bytes, live_sessions,"
                        + " started_at, heartbeat_at, status FROM nodes ORDER BY id")
                .map((rs, ctx) -> new NodeInfo(
                        rs.getString("id"),
                        rs.getString("url"),
                        rs.getInt("max_sessions"),
                        rs.getLong("memory_bytes"),
                        rs.getInt("live_sessions"),
                        rs.getLong("started_at"),
                        rs.getLong("heartbeat_at"),
                        NodeInfo.Status.valueOf(rs.getString("status"))))
                .list());
    }
}
