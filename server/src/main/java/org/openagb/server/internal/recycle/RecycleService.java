package org.openagb.server.internal.recycle;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.openagb.model.RecyclePolicy;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recycle policy (WIRE.md §6.1): entries under {@code mount/<path>} expire N days after their last upload.
 *
 * <p>Each upload of a mount records its policy's rules ({@link #recordUpload}); {@link #reap()} (run periodically)
 * removes the expired entries of each context in one atomic commit. When rules nest, the longest prefix decides.
 */
public final class RecycleService {
    private static final Logger log = LoggerFactory.getLogger(RecycleService.class);
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    private final RecycleRules rules;
    private final ContextStore contexts;
    private final SyncEngine engine;
    private final Clock clock;

    public RecycleService(RecycleRules rules, ContextStore contexts, SyncEngine engine, Clock clock) {
        this.rules = rules;
        this.contexts = contexts;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * Records the recycle rules of a mount just uploaded: a lifecycle with a number of days is upserted for each
     * of its paths; {@code Lifecycle_Forever} removes the rules of those paths.
     */
    public void recordUpload(String contextId, String mountPath, RecyclePolicy policy) {
        RecyclePolicy p = policy == null ? RecyclePolicy.defaults() : policy;
        OptionalInt days = p.lifecycle().days();
        long now = clock.millis();
        for (String path : p.paths()) {
            String prefix = prefix(mountPath, path);
            if (days.isPresent()) {
                rules.upsert(contextId, prefix, days.getAsInt(), now);
            } else {
                rules.remove(contextId, prefix);
            }
        }
    }

    /**
     * The context path a recycle path names: relative to the mount ({@code ""} or {@code "/"} = the whole mount),
     * or absolute when it already starts with the mount path.
     */
    static String prefix(String mountPath, String recyclePath) {
        String p = recyclePath == null ? "" : recyclePath.strip().replace('\\', '/');
        if (p.equals(mountPath) || p.startsWith(mountPath.endsWith("/") ? mountPath : mountPath + "/")) {
            return ContextPaths.normalize(p);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? ContextPaths.normalize(mountPath) : ContextPaths.normalize(mountPath + "/" + p);
    }

    /** Removes every expired entry now; returns how many entries were removed in all. Safe to call at any time. */
    public synchronized long reap() {
        Map<String, List<RecycleRules.Rule>> byContext = new LinkedHashMap<>();
        for (RecycleRules.Rule r : rules.all()) {
            byContext.computeIfAbsent(r.contextId(), k -> new ArrayList<>()).add(r);
        }
        long total = 0;
        for (Map.Entry<String, List<RecycleRules.Rule>> e : byContext.entrySet()) {
            String contextId = e.getKey();
            if (contexts.byIdAnyTenant(contextId).isEmpty()) {
                rules.removeContext(contextId);
                continue;
            }
            try {
                total += reapContext(contextId, e.getValue());
            } catch (RuntimeException ex) {
                log.error("event=recycle.failed context={} error=\"{}\"", contextId, ex.getMessage(), ex);
            }
        }
        return total;
    }

    private long reapContext(String contextId, List<RecycleRules.Rule> contextRules) {
        long now = clock.millis();
        Predicate<ManifestEntry> expired = entry -> {
            RecycleRules.Rule best = null;
            for (RecycleRules.Rule r : contextRules) {
                if (ContextPaths.isUnderOrEqual(entry.path(), r.pathPrefix())
                        && (best == null
                                || r.pathPrefix().length() > best.pathPrefix().length())) {
                    best = r;
                }
            }
            return best != null && entry.uploadedAtMillis() + best.days() * DAY_MS <= now;
        };
        // Read-only look first, so that a context with nothing expired costs no manifest rewrite.
        AtomicBoolean any = new AtomicBoolean();
        try {
            engine.forEachEntry(contextId, entry -> {
                if (!any.get() && expired.test(entry)) {
                    any.set(true);
                }
            });
        } catch (SyncException ex) {
            throw new IllegalStateException("Cannot read context '" + contextId + "': " + ex.getMessage(), ex);
        }
        if (!any.get()) {
            return 0;
        }
        long removed = engine.removeEntries(contextId, expired);
        if (removed > 0) {
            log.info("event=recycle.removed context={} entries={}", contextId, removed);
        }
        return removed;
    }
}
