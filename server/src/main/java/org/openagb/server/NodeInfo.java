package org.openagb.server;

/**
 * One node of the cluster as the shared database knows it.
 *
 * @param id the node's id ({@code <dataDir>/node-id})
 * @param url where other nodes reach it ({@code --node-url}); forwarded calls and the linkUrl of its sessions use it
 * @param maxSessions live sessions one API key may hold (its per-key limit)
 * @param memoryBytes the session memory it admits in all
 * @param liveSessions sessions it ran at its last heartbeat
 * @param startedAtMillis when it first registered
 * @param heartbeatAtMillis its last heartbeat
 * @param status UP, DOWN (heartbeats missed for longer than the down timeout) or STOPPED (closed cleanly)
 * @param capacity how many sessions it admits in all (its memory budget over the session memory limit), for placement
 */
public record NodeInfo(
        String id,
        String url,
        int maxSessions,
        long memoryBytes,
        int liveSessions,
        long startedAtMillis,
        long heartbeatAtMillis,
        Status status,
        int capacity) {

    public enum Status {
        UP,
        DOWN,
        STOPPED
    }
}
