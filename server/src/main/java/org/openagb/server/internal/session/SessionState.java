package org.openagb.server.internal.session;

/** Where a session is in its life; stored by name in the {@code sessions} table and answered as such on the wire. */
public enum SessionState {
    /** Its sandbox runs; tools and syncs are accepted. */
    RUNNING,
    /** A release is in progress (durable: a restarted server finishes it); not found for new calls. */
    DELETING,
    /** Released: uploads committed, files deleted. */
    RELEASED,
    /**
     * Its node was marked down while it ran: its sandbox is gone, its contexts hold its last checkpoint. Answered as
     * such by getSession and ListSession; any other call says it was lost. Releasing it ends it (RELEASED).
     */
    LOST
}
