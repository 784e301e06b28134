package org.openagb.server.internal.recycle;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The recycle rules in force: per (context, path prefix), the number of days an entry lives after its upload. */
public final class RecycleRules {
    /** One rule. */
    public record Rule(String contextId, String pathPrefix, int days) {}

    private final Jdbi jdbi;

    public RecycleRules(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void upsert(String contextId, String prefix, int days, long now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO recycle_rules (context_id, path_prefix, days, updated_at)"
                        + " VALUES (:c, :p, :d, :now) ON CONFLICT (context_id, path_prefix)"
                        + " DO UPDATE SET days = :d, updated_at = :now")
                .bind("c", contextId)
                .bind("p", prefix)
                .bind("d", days)
                .bind("now", now)
                .execute());
    }

    public void remove(String contextId, String prefix) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM recycle_rules WHERE context_id = :c AND path_prefix = :p")
                .bind("c", contextId)
                .bind("p", prefix)
                .execute());
    }

    public void removeContext(String contextId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM recycle_rules WHERE context_id = :c")
                .bind("c", contextId)
                .execute());
    }

    public List<Rule> all() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT context_id, path_prefix, days FROM recycle_rules" + " ORDER BY context_id, path_prefix")
                .map((rs, c) -> new Rule(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list());
    }

    public List<Rule> forContext(String contextId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT context_id, path_prefix, days FROM recycle_rules"
                        + " WHERE context_id = :c ORDER BY path_prefix")
                .bind("c", contextId)
                .map((rs, c) -> new Rule(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list());
    }
}
