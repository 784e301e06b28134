package org.openagb.sdk;

import static org.openagb.sdk.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.ApiResponse;
import org.openagb.sdk.internal.Json;
import org.openagb.sdk.internal.TransferResponse;

/**
 * Local ↔ session file transfer through the session's internal {@code file_transfer} context and presigned URLs
 * (WIRE.md §6.7). Thread-safe; the context id is looked up once per session.
 */
final class FileTransfer {
    /** How long a transfer waits for its sync task after SyncContext (the official download wait; uploads use 30 s). */
    static final Duration TASK_WAIT = Duration.ofSeconds(300);

    private static final Set<String> FINISHED =
            Set.of("success", "successful", "ok", "finished", "done", "completed", "complete");

    private final ApiClient client;
    private final String sessionId;
    private final SessionContext sessionContext;
    private final ContextService contexts;
    private volatile String contextId;

    FileTransfer(ApiClient client, String sessionId, SessionContext sessionContext) {
        this.client = client;
        this.sessionId = sessionId;
        this.sessionContext = sessionContext;
        this.contexts = new ContextService(client);
    }

    FileTransferResult upload(Path local, String remote, TransferListener listener) {
        if (local == null) {
            throw new IllegalArgumentException("Cannot upload 'null' to '" + remote
                    + "': the local path is null (pass the Path of an existing file)");
        }
        String dir = requireRemote("upload '" + local + "' to", remote);
        if (Files.isDirectory(local)) {
            return failed("", "", "Cannot upload '" + local + "': it is a directory (upload one file at a time)", 0);
        }
        if (!Files.isRegularFile(local)) {
            return failed("", "", "Cannot upload '" + local + "': no such file (check the local path)", 0);
        }
        String what = "Cannot upload '" + local + "' to '" + remote + "'";
        Outcome context = ensureContext(what);
        if (context.error != null) {
            return failed("", "", context.error, 0);
        }
        FileUrlResult url = contexts.getFileUploadUrl(context.value, remote);
        if (!url.success()) {
            return failed(url.requestId(), "", what + ": no upload URL (" + url.errorMessage() + ")", 0);
        }
        TransferResponse put = client.putFile(url.url(), local, listener);
        if (put.error() != null) {
            return failed(url.requestId(), "", what + ": " + put.error(), put.bytes());
        }
        if (put.status() != 200 && put.status() != 201 && put.status() != 204) {
            return failed(
                    url.requestId(),
                    "",
                    what + ": the upload URL answered HTTP " + put.status() + " (check the server log; the URL"
                            + " may have expired)",
                    put.bytes());
        }
        ContextSyncResult sync = sessionContext.sync(context.value, dir, SyncMode.DOWNLOAD);
        if (!sync.success()) {
            return failed(
                    url.requestId(),
                    sync.requestId(),
                    what + ": the file was stored but not synced into the session (" + sync.errorMessage() + ")",
                    put.bytes());
        }
        String waitError = awaitTask(context.value, dir, "download");
        if (waitError != null) {
            return failed(url.requestId(), sync.requestId(), what + ": " + waitError, put.bytes());
        }
        return new FileTransferResult(true, url.requestId(), sync.requestId(), "", put.bytes());
    }

    FileTransferResult download(String remote, Path local, TransferListener listener) {
        if (local == null) {
            throw new IllegalArgumentException("Cannot download '" + remote
                    + "' to 'null': the local path is null (pass the Path of the file to write)");
        }
        String dir = requireRemote("download", remote);
        String what = "Cannot download '" + remote + "' to '" + local + "'";
        if (Files.isDirectory(local)) {
            return failed("", "", what + ": it is a directory (give the path of the file to write)", 0);
        }
        Outcome context = ensureContext(what);
        if (context.error != null) {
            return failed("", "", context.error, 0);
        }
        ContextSyncResult sync = sessionContext.sync(context.value, dir, SyncMode.UPLOAD);
        if (!sync.success()) {
            return failed(
                    "",
                    sync.requestId(),
                    what + ": the session directory was not synced out (" + sync.errorMessage() + ")",
                    0);
        }
        String waitError = awaitTask(context.value, dir, "upload");
        if (waitError != null) {
            return failed("", sync.requestId(), what + ": " + waitError, 0);
        }
        FileUrlResult url = contexts.getFileDownloadUrl(context.value, remote);
        if (!url.success()) {
            return failed(
                    url.requestId(),
                    sync.requestId(),
                    what + ": no download URL (" + url.errorMessage() + "; does the file exist in the session?)",
                    0);
        }
        Path target = local.toAbsolutePath();
        Path temp;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
        } catch (IOException e) {
            return failed(
                    url.requestId(),
                    sync.requestId(),
                    what + ": cannot create a temporary file next to it (" + e + ")",
                    0);
        }
        try {
            TransferResponse get = client.getFile(url.url(), temp, listener);
            if (get.error() != null) {
                return failed(url.requestId(), sync.requestId(), what + ": " + get.error(), get.bytes());
            }
            if (get.status() != 200) {
                return failed(
                        url.requestId(),
                        sync.requestId(),
                        what + ": the download URL answered HTTP " + get.status()
                                + " (check the server log; the URL may have expired)",
                        get.bytes());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new FileTransferResult(true, url.requestId(), sync.requestId(), "", get.bytes());
        } catch (IOException e) {
            return failed(url.requestId(), sync.requestId(), what + ": cannot write the file (" + e + ")", 0);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a leftover .part file is harmless
            }
        }
    }

    /** The internal context's id: GetAndLoadInternalContext once, then cached. */
    private Outcome ensureContext(String what) {
        String cached = contextId;
        if (cached != null) {
            return new Outcome(cached, null);
        }
        synchronized (this) {
            if (contextId != null) {
                return new Outcome(contextId, null);
            }
            ApiResponse response = client.post(
                    "/sdk/GetAndLoadInternalContext",
                    query("sessionId", sessionId, "contextTypes", "[\"file_transfer\"]"),
                    null);
            if (!response.ok()) {
                return new Outcome(
                        null,
                        what + ": the file transfer context of session '" + sessionId + "' is not available ("
                                + response.errorMessage() + ")");
            }
            for (JsonNode item : response.data()) {
                String id = Json.text(item, "contextId");
                if (!id.isEmpty() && !Json.text(item, "contextPath").isEmpty()) {
                    contextId = id;
                    return new Outcome(id, null);
                }
            }
            return new Outcome(
                    null,
                    what + ": the server returned no file transfer context for session '" + sessionId
                            + "' (check that it supports GetAndLoadInternalContext)");
        }
    }

    /**
     * Waits until GetContextInfo has the task of {@code (contextId, path, taskType)} finished; returns why it failed or
     * timed out, or {@code null}.
     */
    private String awaitTask(String contextId, String path, String taskType) {
        long deadline = System.nanoTime() + TASK_WAIT.toNanos();
        String last = "no " + taskType + " task registered";
        while (true) {
            ContextInfoResult info = sessionContext.info(contextId, path, taskType);
            if (info.success()) {
                for (ContextStatus status : info.statuses()) {
                    if (!status.contextId().equals(contextId)
                            || !status.path().equals(path)
                            || !status.taskType().equals(taskType)) {
                        continue;
                    }
                    if (!status.errorMessage().isEmpty()) {
                        return "the " + taskType + " task of '" + path + "' failed: " + status.errorMessage();
                    }
                    if (FINISHED.contains(status.status().toLowerCase(Locale.ROOT))) {
                        return null;
                    }
                    last = "the " + taskType + " task is '" + status.status() + "'";
                }
            } else {
                last = "GetContextInfo failed: " + info.errorMessage();
            }
            if (System.nanoTime() > deadline) {
                return "the " + taskType + " task did not finish within " + TASK_WAIT.toSeconds() + " s (" + last + ")";
            }
            if (!client.pause()) {
                return "interrupted while waiting for the " + taskType + " task";
            }
        }
    }

    /**
     * {@code dir(remote)} of WIRE §6.7: the parent directory; a trailing slash means the path itself minus the slash,
     * and {@code /} stays {@code /}.
     *
     * @return the directory, or {@code null} if {@code remote} has none
     */
    static String dir(String remote) {
        if (remote.equals("/")) {
            return "/";
        }
        if (remote.endsWith("/")) {
            return remote.substring(0, remote.length() - 1);
        }
        int slash = remote.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        return slash == 0 ? "/" : remote.substring(0, slash);
    }

    private static String requireRemote(String verb, String remote) {
        if (remote == null || remote.isBlank()) {
            throw new IllegalArgumentException("Cannot " + verb + " '" + remote
                    + "': the session path is blank (give an absolute path such as '/tmp/a.txt')");
        }
        String dir = dir(remote);
        if (dir == null || !remote.startsWith("/") || remote.endsWith("/")) {
            throw new IllegalArgumentException("Cannot " + verb + " '" + remote
                    + "': it is not an absolute file path in the session (give one such as '/tmp/a.txt')");
        }
        return dir;
    }

    private static FileTransferResult failed(String requestId, String syncRequestId, String error, long bytes) {
        return new FileTransferResult(false, requestId, syncRequestId, error, bytes);
    }

    private record Outcome(String value, String error) {}
}
