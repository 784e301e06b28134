package org.openagb.server.internal.session;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.openagb.sandbox.Sandbox;
import org.openagb.sandbox.SessionFiles;
import org.openagb.server.internal.sync.Mount;
import org.openagb.server.internal.sync.SyncedSession;

/**
 * A session this node serves: its row, its sandbox (null while a crashed release is being finished), its mounts
 * and its activity clock. {@link #syncLock()} serialises the session's sync tasks and its release.
 */
public final class LiveSession implements SyncedSession {
    private final SessionRecord record;
    private final List<Mount> mounts;
    private final Path stateDir;
    private final SessionFiles files;
    private final ReentrantLock syncLock = new ReentrantLock(true);
    private final AtomicLong lastActivity;
    private final java.util.concurrent.atomic.AtomicInteger callsInFlight =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile Sandbox sandbox;
    /** Completed once the release has committed its uploads and the session is gone. */
    private final java.util.concurrent.CompletableFuture<Void> released =
            new java.util.concurrent.CompletableFuture<>();

    private volatile SessionState status;

    public LiveSession(SessionRecord record, List<Mount> mounts, Path stateDir, SessionFiles files, long now) {
        this.record = record;
        this.mounts = List.copyOf(mounts);
        this.stateDir = stateDir;
        this.files = files;
        this.lastActivity = new AtomicLong(now);
        this.status = record.status();
    }

    /** Completes when the session is released (uploads committed, files deleted); never fails. */
    public java.util.concurrent.CompletableFuture<Void> released() {
        return released;
    }

    @Override
    public String id() {
        return record.id();
    }

    @Override
    public String tenant() {
        return record.tenant();
    }

    public SessionRecord record() {
        return record;
    }

    @Override
    public List<Mount> mounts() {
        return mounts;
    }

    @Override
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public SessionFiles files() {
        return files;
    }

    @Override
    public ReentrantLock syncLock() {
        return syncLock;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    void sandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public SessionState status() {
        return status;
    }

    void status(SessionState status) {
        this.status = status;
    }

    public long lastActivity() {
        return lastActivity.get();
    }

    public void touch(long now) {
        lastActivity.set(now);
    }

    /** A tool call began: activity, and the session is not idle until it ends (a long command is not idleness). */
    public void callStarted(long now) {
        callsInFlight.incrementAndGet();
        touch(now);
    }

    public void callFinished(long now) {
        touch(now);
        callsInFlight.decrementAndGet();
    }

    public boolean busy() {
        return callsInFlight.get() > 0;
    }
}
