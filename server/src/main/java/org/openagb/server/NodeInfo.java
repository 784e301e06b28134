package org.openagb.server;

/**
 * One node of the cluster as the shared database knows it.
 *
 * @param id the node's id ({@code <dataDir>/node-id})
 * @param url where other nodes and clients reach it
 * @param maxSessions live sessions one API key may hold on it (its per-key limit)
 * @param memoryBytes the session memory it admits in all
 * @param liveSessions sessions it runs now
 * @param startedAtMillis when it first registered
 * @param heartbeatAtMillis its last heartbeat
 * @param status UP, DOWN (heartbeats missed for longer than the down timeout) or STOPPED (closed cleanly)
 */
public record NodeInfo(
        String id,
        String url,
        int maxSessions,
        long memoryBytes,
        int liveSessions,
        long startedAtMillis,
        long heartbeatAtMillis,
        Status status) {

    public enum Status {
        UP,
        DOWN,
        STOPPED
    }
}
