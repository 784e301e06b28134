package org.openagb.server.internal.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.openagb.server.internal.http.Json;

/** Session rows. Thread-safe. */
public final class SessionStore {
    private static final String COLUMNS =
            "id, tenant, image_id, status, labels, mounts, mcp_policy_id, idle_timeout_ms, created_at, released_at";

    private final Jdbi jdbi;

    private final String nodeId;

    /** @param nodeId this server process's node: it inserts its sessions with it and recovers only those */
    public SessionStore(Jdbi jdbi, String nodeId) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
    }

    public void insert(SessionRecord s) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (" + COLUMNS + ", node_id) VALUES (:id, :tenant,"
                        + " :image, :status, :labels, :mounts, :policy, :idle, :created, NULL, :node)")
                .bind("node", nodeId)
                .bind("id", s.id())
                .bind("tenant", s.tenant())
                .bind("image", s.imageId())
                .bind("status", s.status().name())
                .bind("labels", s.labels())
                .bind("mounts", s.mounts())
                .bind("policy", s.mcpPolicyId())
                .bind("idle", s.idleTimeoutMs())
                .bind("created", s.createdAt())
                .execute());
    }

    public Optional<SessionRecord> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM sessions WHERE id = :id")
                .bind("id", id)
                .map(SessionStore::map)
                .findOne());
    }

    /** Where a session runs, for routing a call about it: its node, key and status. */
    public record Owner(String nodeId, String tenant, SessionState status) {}

    /** The node, key and status of any session of the cluster; empty if there is no such session. */
    public Optional<Owner> owner(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT node_id, tenant, status FROM sessions WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new Owner(
                        rs.getString("node_id"), rs.getString("tenant"), SessionState.valueOf(rs.getString("status"))))
                .findOne());
    }

    /** Running sessions per node, for placement (exact and shared, unlike the heartbeats' counts). */
    public java.util.Map<String, Integer> runningPerNode() {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT node_id, COUNT(*) AS n FROM sessions WHERE status = :r AND node_id IS"
                        + " NOT NULL GROUP BY node_id")
                .bind("r", SessionState.RUNNING.name())
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("node_id"), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    /** This node's sessions in a status (rows from before nodes were recorded count as this node's). */
    public List<SessionRecord> withStatus(SessionState status) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT " + COLUMNS + " FROM sessions WHERE status = :s AND (node_id = :n OR"
                                + " node_id IS NULL) ORDER BY created_at")
                        .bind("s", status.name())
                        .bind("n", nodeId)
                        .map(SessionStore::map)
                        .list());
    }

    /**
     * The tenant's running sessions on every node that is up (or not registered yet), for the per-key limit: a node
     * marked DOWN or STOPPED does not hold its sessions' places until it is back.
     */
    public int countRunning(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions WHERE tenant = :t AND status = :r"
                        + " AND (node_id IS NULL OR node_id NOT IN (SELECT id FROM nodes WHERE status <> :up))")
                .bind("t", tenant)
                .bind("r", SessionState.RUNNING.name())
                .bind("up", "UP")
                .mapTo(Integer.class)
                .one());
    }

    /**
     * The sessions, running or being released on a node that is up (this one included), whose mounts include the
     * context: DeleteContext refuses while there are any.
     */
    public List<String> mountingOnUpNodes(String contextId) {
        String needle = "\"contextId\":" + Json.write(contextId);
        String pattern = "%" + needle.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM sessions WHERE status IN (:r, :d) AND mounts LIKE"
                        + " :p ESCAPE '!' AND (node_id IS NULL OR node_id NOT IN (SELECT id FROM nodes WHERE status"
                        + " <> :up)) ORDER BY id")
                .bind("r", SessionState.RUNNING.name())
                .bind("d", SessionState.DELETING.name())
                .bind("p", pattern)
                .bind("up", "UP")
                .mapTo(String.class)
                .list());
    }

    public List<SessionRecord> liveForTenant(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM sessions WHERE tenant = :t AND status <> 'RELEASED' ORDER BY created_at, id")
                .bind("t", tenant)
                .map(SessionStore::map)
                .list());
    }

    /** Moves a session from one status to another; false if it was not in {@code from}. */
    public boolean transition(String id, SessionState from, SessionState to, Long releasedAt) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE sessions SET status = :to, released_at = :at WHERE id = :id AND status = :from")
                        .bind("to", to.name())
                        .bind("at", releasedAt)
                        .bind("id", id)
                        .bind("from", from.name())
                        .execute())
                == 1;
    }

    public void setLabels(String id, String labels) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sessions SET labels = :l WHERE id = :id")
                .bind("l", labels)
                .bind("id", id)
                .execute());
    }

    private static Long releasedAt(ResultSet rs) throws SQLException {
        long value = rs.getLong("released_at");
        return rs.wasNull() ? null : value;
    }

    private static SessionRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SessionRecord(
                rs.getString("id"),
                rs.getString("tenant"),
                rs.getString("image_id"),
                SessionState.valueOf(rs.getString("status")),
                rs.getString("labels"),
                rs.getString("mounts"),
                rs.getString("mcp_policy_id"),
                rs.getLong("idle_timeout_ms"),
                rs.getLong("created_at"),
                releasedAt(rs));
    }
}
