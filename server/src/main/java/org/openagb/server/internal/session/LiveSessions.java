package org.openagb.server.internal.session;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions this node runs (or is releasing), by id: the one holder of live session state. Built first by the
 * server and handed to the services that need it. Thread safe.
 */
public final class LiveSessions {
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();

    LiveSession get(String id) {
        return sessions.get(id);
    }

    void put(String id, LiveSession session) {
        sessions.put(id, session);
    }

    LiveSession remove(String id) {
        return sessions.remove(id);
    }

    Collection<LiveSession> values() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    /** Ids of the live, not yet released sessions that mount {@code contextId}. */
    public List<String> mounting(String contextId) {
        return sessions.values().stream()
                .filter(s -> s.status() != SessionState.RELEASED)
                .filter(s -> s.mounts().stream().anyMatch(m -> m.contextId().equals(contextId)))
                .map(LiveSession::id)
                .sorted()
                .toList();
    }
}
