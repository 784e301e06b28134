package org.openagb.server.internal.sync;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The sync status registry (WIRE.md §6.3): one row per (session, context, path, task type); a new task replaces
 * the old one. Rows live as long as the session.
 */
public final class TaskStore {
    /** One task as reported by GetContextInfo. */
    public record Task(
            String sessionId,
            String contextId,
            String path,
            SyncDirection taskType,
            TaskStatus status,
            String errorMessage,
            long startTime,
            long finishTime) {}

    private final Jdbi jdbi;

    public TaskStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a task, replacing the one of the same key: one upsert, so concurrent puts never conflict. */
    public void put(Task t) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sync_tasks (session_id, context_id, path, task_type, status,"
                        + " error_message, start_time, finish_time) VALUES (:s, :c, :p, :t, :st, :e, :start, :finish)"
                        + " ON CONFLICT (session_id, context_id, path, task_type) DO UPDATE SET status = :st,"
                        + " error_message = :e, start_time = :start, finish_time = :finish")
                .bind("s", t.sessionId())
                .bind("c", t.contextId())
                .bind("p", t.path())
                .bind("t", t.taskType().wireName())
                .bind("st", t.status().wireName())
                .bind("e", t.errorMessage())
                .bind("start", t.startTime())
                .bind("finish", t.finishTime())
                .execute());
    }

    public List<Task> forSession(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT session_id, context_id, path, task_type, status,"
                        + " error_message, start_time, finish_time FROM sync_tasks WHERE session_id = :s"
                        + " ORDER BY start_time, path")
                .bind("s", sessionId)
                .map((rs, c) -> new Task(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        SyncDirection.fromWireName(rs.getString(4)),
                        TaskStatus.fromWireName(rs.getString(5)),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8)))
                .list());
    }

    /** Marks the tasks of this node's sessions that a crash interrupted as failed, so no client waits forever. */
    public int failUnfinished(String message, long now, String nodeId) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE sync_tasks SET status = :failed, error_message = :m,"
                        + " finish_time = :now WHERE status IN (:pending, :running) AND session_id IN (SELECT id"
                        + " FROM sessions WHERE node_id = :n OR node_id IS NULL)")
                .bind("failed", TaskStatus.FAILED.wireName())
                .bind("pending", TaskStatus.PENDING.wireName())
                .bind("running", TaskStatus.RUNNING.wireName())
                .bind("n", nodeId)
                .bind("m", message)
                .bind("now", now)
                .execute());
    }

    public void deleteSession(String sessionId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sync_tasks WHERE session_id = :s")
                .bind("s", sessionId)
                .execute());
    }
}
