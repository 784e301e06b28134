package org.openagb.sdk;

import static org.openagb.sdk.internal.ApiClient.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.ApiResponse;
import org.openagb.sdk.internal.Parsers;

/**
 * Context sync of one session's mounts (WIRE.md §3.3, §3.4, §6.4). Thread-safe.
 *
 * <p>{@code sync} waits like the official SDKs: after SyncContext it polls GetContextInfo until every upload/download
 * task is {@code Success} or {@code Failed}, for at most {@link #SYNC_WAIT} (the official 150 tries × 1.5 s), sleeping
 * the client's poll interval between tries.
 */
public final class SessionContext {
    /** How long {@code sync} waits for its tasks. */
    public static final Duration SYNC_WAIT = Duration.ofMillis(150 * 1500);

    private final ApiClient client;
    private final String sessionId;

    SessionContext(ApiClient client, String sessionId) {
        this.client = client;
        this.sessionId = sessionId;
    }

    /** Every sync task the server tracks for this session. */
    public ContextInfoResult info() {
        return info(null, null, null);
    }

    /**
     * The sync tasks matching the given filters; {@code null} leaves a filter out.
     *
     * @param contextId only tasks of this context
     * @param path only tasks of this path (as given when the task was created)
     * @param taskType only {@code upload} or {@code download} tasks
     */
    public ContextInfoResult info(String contextId, String path, String taskType) {
        ApiResponse response = client.get(
                "/sdk/GetContextInfo",
                query("sessionId", sessionId, "contextId", contextId, "path", path, "taskType", taskType));
        if (!response.ok()) {
            return new ContextInfoResult(false, response.requestId(), response.errorMessage(), List.of());
        }
        try {
            return new ContextInfoResult(
                    true,
                    response.requestId(),
                    "",
                    Parsers.contextStatus(response.data().path("contextStatus")));
        } catch (IllegalArgumentException e) {
            return new ContextInfoResult(false, response.requestId(), e.getMessage(), List.of());
        }
    }

    /** Uploads every mount whose policy has {@code autoUpload}, and waits for the tasks. */
    public ContextSyncResult sync() {
        return sync(null, null, null);
    }

    /** Uploads {@code path} (any absolute directory) of the session to context {@code contextId}, and waits. */
    public ContextSyncResult sync(String contextId, String path) {
        return sync(contextId, path, null);
    }

    /**
     * Syncs {@code path} with context {@code contextId} in direction {@code mode} and waits until the tasks finish.
     * Success means that no upload/download task failed (and also that there were none).
     *
     * @param contextId the context, or {@code null} together with {@code path} for every mount
     * @param path the session directory, or {@code null} together with {@code contextId}
     * @param mode the direction, or {@code null} for the server default (upload)
     * @throws IllegalArgumentException if exactly one of {@code contextId} and {@code path} is given
     */
    public ContextSyncResult sync(String contextId, String path, SyncMode mode) {
        if ((contextId == null) != (path == null)) {
            throw new IllegalArgumentException("Cannot sync context '" + contextId + "' at path '" + path
                    + "': contextId and path go together (pass both, or neither to sync every mount)");
        }
        ApiResponse response = client.post(
                "/sdk/SyncContext",
                query(
                        "sessionId",
                        sessionId,
                        "contextId",
                        contextId,
                        "path",
                        path,
                        "mode",
                        mode == null ? null : mode.wireName()),
                null);
        if (!response.ok()) {
            return new ContextSyncResult(false, response.requestId(), response.errorMessage());
        }
        return await(response.requestId(), contextId, path);
    }

    /** {@link #sync()} (upload every auto-upload mount) on a background thread, then {@code callback}. */
    public CompletableFuture<ContextSyncResult> syncAsync(Consumer<ContextSyncResult> callback) {
        return syncAsync(null, null, null, callback);
    }

    /** {@link #sync(String, String, SyncMode)} on a background (daemon) thread. */
    public CompletableFuture<ContextSyncResult> syncAsync(String contextId, String path, SyncMode mode) {
        return CompletableFuture.supplyAsync(() -> sync(contextId, path, mode), client.executor());
    }

    /**
     * {@link #sync(String, String, SyncMode)} on a background thread, then {@code callback} with the result (on that
     * thread). The callback is not called if the sync itself throws (for example on a bad argument); the future
     * completes exceptionally instead.
     */
    public CompletableFuture<ContextSyncResult> syncAsync(
            String contextId, String path, SyncMode mode, Consumer<ContextSyncResult> callback) {
        return syncAsync(contextId, path, mode).thenApply(result -> {
            callback.accept(result);
            return result;
        });
    }

    private ContextSyncResult await(String requestId, String contextId, String path) {
        long deadline = System.nanoTime() + SYNC_WAIT.toNanos();
        while (true) {
            ContextInfoResult info = info(contextId, path, null);
            if (!info.success()) {
                return new ContextSyncResult(false, requestId, "Cannot wait for sync tasks: " + info.errorMessage());
            }
            boolean running = false;
            List<String> failures = new ArrayList<>();
            for (ContextStatus status : info.statuses()) {
                if (!status.taskType().equals("upload") && !status.taskType().equals("download")) {
                    continue;
                }
                if (!status.finished()) {
                    running = true;
                } else if (status.status().equals("Failed")) {
                    failures.add(status.taskType() + " of '" + status.path() + "' (context " + status.contextId()
                            + ") failed: " + status.errorMessage());
                }
            }
            if (!running) {
                return failures.isEmpty()
                        ? new ContextSyncResult(true, requestId, "")
                        : new ContextSyncResult(false, requestId, String.join("; ", failures));
            }
            if (System.nanoTime() > deadline) {
                return new ContextSyncResult(
                        false,
                        requestId,
                        "Cannot sync session '" + sessionId + "': tasks still running after " + SYNC_WAIT.toSeconds()
                                + " s (check info() later)");
            }
            if (!client.pause()) {
                return new ContextSyncResult(false, requestId, "Cannot sync session '" + sessionId + "': interrupted");
            }
        }
    }
}
