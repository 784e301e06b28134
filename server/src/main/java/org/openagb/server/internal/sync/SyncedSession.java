package org.openagb.server.internal.sync;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.openagb.sandbox.SessionFiles;

/** What syncing needs of a live session; implemented by the session package's {@code LiveSession}. */
public interface SyncedSession {
    String id();

    String tenant();

    List<Mount> mounts();

    /** Server-side state of the session (base snapshots); never visible inside the sandbox. */
    Path stateDir();

    /** The session's files, through the server's race-free view of them. */
    SessionFiles files();

    /** Serialises the session's sync tasks and its release. */
    ReentrantLock syncLock();
}
