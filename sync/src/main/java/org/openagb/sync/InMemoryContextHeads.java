package org.openagb.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link ContextHeads} in a map, per instance. Thread-safe. Requires each new generation to be higher. Versions are
 * stamped with the clock given (the system clock by default).
 */
public final class InMemoryContextHeads implements ContextHeads {
    private final ConcurrentMap<String, Head> heads = new ConcurrentHashMap<>();
    private final Map<String, TreeMap<Long, ContextVersion>> versions = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryContextHeads() {
        this(Clock.systemUTC());
    }

    public InMemoryContextHeads(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Head head(String contextId) {
        return heads.getOrDefault(contextId, Head.EMPTY);
    }

    @Override
    public boolean compareAndSet(String contextId, long expectedGeneration, Head next, VersionStats stats) {
        if (next.generation() <= expectedGeneration) {
            throw new IllegalArgumentException("next generation (" + next.generation()
                    + ") must be greater than the expected generation (" + expectedGeneration + ")");
        }
        boolean[] done = {false};
        heads.compute(contextId, (id, current) -> {
            Head cur = current == null ? Head.EMPTY : current;
            if (cur.generation() == expectedGeneration) {
                done[0] = true;
                // recorded inside compute: the head and its version change together for readers of both
                synchronized (versions) {
                    versions.computeIfAbsent(contextId, k -> new TreeMap<>())
                            .put(
                                    next.generation(),
                                    new ContextVersion(
                                            next.generation(),
                                            next.manifestKey(),
                                            next.mode(),
                                            clock.instant(),
                                            stats));
                }
                return next;
            }
            return current;
        });
        return done[0];
    }

    @Override
    public List<ContextVersion> versions(String contextId) {
        synchronized (versions) {
            TreeMap<Long, ContextVersion> map = versions.get(contextId);
            return map == null
                    ? List.of()
                    : List.copyOf(new ArrayList<>(map.descendingMap().values()));
        }
    }

    @Override
    public int forgetVersions(String contextId, Collection<Long> generations) {
        synchronized (versions) {
            TreeMap<Long, ContextVersion> map = versions.get(contextId);
            if (map == null) {
                return 0;
            }
            int n = 0;
            for (Long g : generations) {
                if (map.remove(g) != null) {
                    n++;
                }
            }
            return n;
        }
    }
}
