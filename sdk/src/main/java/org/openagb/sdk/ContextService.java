package org.openagb.sdk;

import static org.openagb.sdk.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.ApiResponse;
import org.openagb.sdk.internal.Json;
import org.openagb.sdk.internal.Parsers;

/**
 * The account's contexts ({@code agb.context()}, WIRE.md §7). Thread-safe.
 *
 * <p>Why it is this long: it mirrors the official SDKs' context service (lookup, list, rename, delete, clear with its
 * polling, file URLs, file listing) and adds the version calls; each is a short method that validates its arguments
 * before any request and maps one endpoint's reply to its result record. Splitting it would split one user-facing
 * {@code agb.context()} object.
 */
public final class ContextService {
    /** The page size of {@link #listFiles(String, String)} (the official default). */
    public static final int DEFAULT_FILE_PAGE_SIZE = 50;

    /** How long {@link #clear(String)} waits by default (the official 60 s). */
    public static final Duration DEFAULT_CLEAR_TIMEOUT = Duration.ofSeconds(60);

    private final ApiClient client;

    ContextService(ApiClient client) {
        this.client = client;
    }

    /** The context named {@code name}; fails if there is none. */
    public ContextResult get(String name) {
        return get(name, false);
    }

    /**
     * The context named {@code name}, created first if it does not exist and {@code create} is set. Creation is
     * idempotent: the same name gives the same id.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public ContextResult get(String name, boolean create) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Cannot get context '" + name
                    + "': the name is blank (give a meaningful name such as 'project-alpha-workspace')");
        }
        return lookup(query("name", name, "allowCreate", String.valueOf(create)));
    }

    /** The context named {@code name}, created if it does not exist; same as {@code get(name, true)}. */
    public ContextResult create(String name) {
        return get(name, true);
    }

    /**
     * The context with id {@code id}; fails if there is none (also after it was deleted).
     *
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public ContextResult getById(String id) {
        requireId("get context", id);
        return lookup(query("id", id, "allowCreate", "false"));
    }

    private ContextResult lookup(java.util.Map<String, Object> query) {
        ApiResponse response = client.get("/sdk/GetContext", query);
        if (!response.ok()) {
            return new ContextResult(false, response.requestId(), response.errorMessage(), null);
        }
        JsonNode data = response.data();
        if (!data.isObject() || Json.text(data, "id").isEmpty()) {
            return new ContextResult(
                    false, response.requestId(), "Cannot get context: the response has no context id", null);
        }
        return new ContextResult(true, response.requestId(), "", Parsers.context(data));
    }

    /** The first 10 contexts. */
    public ContextListResult list() {
        return list(ContextListParams.defaults());
    }

    /** One page of contexts. */
    public ContextListResult list(ContextListParams params) {
        ApiResponse response = client.get(
                "/sdk/ListContexts",
                query("maxResults", String.valueOf(params.maxResults()), "nextToken", params.nextToken()));
        if (!response.ok()) {
            return new ContextListResult(
                    false, response.requestId(), response.errorMessage(), List.of(), "", params.maxResults(), 0);
        }
        List<Context> contexts = new ArrayList<>();
        for (JsonNode item : response.data()) {
            contexts.add(Parsers.context(item));
        }
        JsonNode body = response.body();
        return new ContextListResult(
                true,
                response.requestId(),
                "",
                contexts,
                Json.text(body, "nextToken"),
                body.path("maxResults").asInt(params.maxResults()),
                body.path("totalCount").asInt(contexts.size()));
    }

    /** Renames {@code context} to its {@link Context#name()}; fails if the name is taken. */
    public OperationResult update(Context context) {
        requireId("update context", context.id());
        ApiResponse response =
                client.post("/sdk/ModifyContext", query("id", context.id(), "name", context.name()), null);
        return new OperationResult(response.ok(), response.requestId(), response.ok() ? "" : response.errorMessage());
    }

    /** Deletes {@code context} and all its data; fails while a live session mounts it. */
    public OperationResult delete(Context context) {
        requireId("delete context", context.id());
        ApiResponse response = client.post("/sdk/DeleteContext", query("id", context.id()), null);
        return new OperationResult(response.ok(), response.requestId(), response.ok() ? "" : response.errorMessage());
    }

    /** Starts wiping the context's data (keeping its id and name) and returns at once with state {@code clearing}. */
    public ClearResult clearAsync(String id) {
        requireId("clear context", id);
        ApiResponse response = client.post("/sdk/ClearContext", query("id", id), null);
        if (!response.ok()) {
            return new ClearResult(false, response.requestId(), response.errorMessage(), id, "");
        }
        return new ClearResult(true, response.requestId(), "", id, "clearing");
    }

    /** Wipes the context's data and waits up to {@link #DEFAULT_CLEAR_TIMEOUT} until it is {@code available} again. */
    public ClearResult clear(String id) {
        return clear(id, DEFAULT_CLEAR_TIMEOUT);
    }

    /**
     * Wipes the context's data and waits up to {@code timeout} until its state is {@code available} again, polling
     * GetContext at the client's poll interval (a missing state counts as {@code clearing}).
     */
    public ClearResult clear(String id, Duration timeout) {
        ClearResult started = clearAsync(id);
        if (!started.success()) {
            return started;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String requestId = started.requestId();
        while (client.pause()) {
            ContextResult status = getById(id);
            requestId = status.requestId().isEmpty() ? requestId : status.requestId();
            if (!status.success()) {
                return new ClearResult(false, requestId, status.errorMessage(), id, "");
            }
            String state = status.context().state().isEmpty()
                    ? "clearing"
                    : status.context().state();
            if (state.equals("available")) {
                return new ClearResult(true, requestId, "", id, state);
            }
            if (System.nanoTime() > deadline) {
                return new ClearResult(
                        false,
                        requestId,
                        "Cannot clear context '" + id + "': still '" + state + "' after " + timeout.toSeconds()
                                + " s (call clear again with a longer timeout)",
                        id,
                        state);
            }
        }
        return new ClearResult(false, requestId, "Cannot clear context '" + id + "': interrupted", id, "clearing");
    }

    /**
     * A presigned URL to which a plain {@code PUT} of the raw bytes stores (or replaces) the file at {@code filePath}
     * of the context. The file need not exist; it appears in sessions that mount or sync the context afterwards.
     *
     * @param filePath the absolute path the file gets in sessions, such as {@code /home/data/report.pdf}
     * @throws IllegalArgumentException if {@code contextId} or {@code filePath} is blank
     */
    public FileUrlResult getFileUploadUrl(String contextId, String filePath) {
        return fileUrl("/sdk/GetContextFileUploadUrl", "get upload URL of", contextId, filePath);
    }

    /**
     * A presigned URL from which a plain {@code GET} reads the file at {@code filePath} of the context; fails if the
     * context has no such file.
     *
     * @throws IllegalArgumentException if {@code contextId} or {@code filePath} is blank
     */
    public FileUrlResult getFileDownloadUrl(String contextId, String filePath) {
        return fileUrl("/sdk/GetContextFileDownloadUrl", "get download URL of", contextId, filePath);
    }

    private FileUrlResult fileUrl(String path, String verb, String contextId, String filePath) {
        requireId(verb + " context", contextId);
        requireFilePath(verb, filePath);
        ApiResponse response = client.post(path, query("contextId", contextId, "filePath", filePath), null);
        if (!response.ok()) {
            return new FileUrlResult(false, response.requestId(), response.errorMessage(), "", 0);
        }
        String url = Json.text(response.data(), "url");
        if (url.isEmpty()) {
            return new FileUrlResult(
                    false,
                    response.requestId(),
                    "Cannot " + verb + " file '" + filePath + "': the response has no url (check the server version)",
                    "",
                    0);
        }
        return new FileUrlResult(
                true,
                response.requestId(),
                "",
                url,
                response.data().path("expireTime").asLong(0));
    }

    /**
     * Deletes the file at {@code filePath} of the context; fails if there is none. Sessions that already downloaded it
     * keep their copy.
     *
     * @throws IllegalArgumentException if {@code contextId} or {@code filePath} is blank
     */
    public OperationResult deleteFile(String contextId, String filePath) {
        requireId("delete file of context", contextId);
        requireFilePath("delete", filePath);
        ApiResponse response =
                client.post("/sdk/DeleteContextFile", query("contextId", contextId, "filePath", filePath), null);
        return new OperationResult(response.ok(), response.requestId(), response.ok() ? "" : response.errorMessage());
    }

    /** The first {@value #DEFAULT_FILE_PAGE_SIZE} children of {@code parentFolderPath} ({@code null} for the root). */
    public ContextFileListResult listFiles(String contextId, String parentFolderPath) {
        return listFiles(contextId, parentFolderPath, 1, DEFAULT_FILE_PAGE_SIZE);
    }

    /**
     * One page of the immediate children (files and folders) of {@code parentFolderPath} in the context. A missing or
     * empty folder gives no entries; a page past the end too.
     *
     * @param parentFolderPath an absolute folder path such as {@code /home/data}, or {@code null} or {@code ""} for the
     *     root
     * @param pageNumber the page, from 1
     * @param pageSize entries per page, at least 1
     * @throws IllegalArgumentException if {@code contextId} is blank or a page argument is below 1
     */
    public ContextFileListResult listFiles(String contextId, String parentFolderPath, int pageNumber, int pageSize) {
        requireId("list files of context", contextId);
        if (pageNumber < 1 || pageSize < 1) {
            throw new IllegalArgumentException("Cannot list files of context '" + contextId + "' with page "
                    + pageNumber + " of size " + pageSize + ": both must be at least 1 (pages count from 1; the"
                    + " default size is " + DEFAULT_FILE_PAGE_SIZE + ")");
        }
        ApiResponse response = client.post(
                "/sdk/DescribeContextFiles",
                query(
                        "contextId",
                        contextId,
                        "parentFolderPath",
                        parentFolderPath == null || parentFolderPath.isEmpty() ? null : parentFolderPath,
                        "pageNumber",
                        String.valueOf(pageNumber),
                        "pageSize",
                        String.valueOf(pageSize)),
                null);
        if (!response.ok()) {
            return new ContextFileListResult(false, response.requestId(), response.errorMessage(), List.of(), 0);
        }
        List<ContextFileEntry> entries = Parsers.contextFiles(response.data());
        JsonNode count = response.body().path("count");
        if (count.isMissingNode() || count.isNull()) {
            count = response.data().path("count");
        }
        return new ContextFileListResult(true, response.requestId(), "", entries, count.asInt(entries.size()));
    }

    // --- versions (an OpenAGB extension: ListContextVersions, DiffContextVersions, RestoreContextVersion) ---

    /** The page size of {@link #listVersions(String)} and of each page {@link #diffVersions(String, long, long)} reads. */
    public static final int DEFAULT_VERSION_PAGE_SIZE = 100;

    /** The first {@value #DEFAULT_VERSION_PAGE_SIZE} kept versions of the context, newest first. */
    public ContextVersionListResult listVersions(String contextId) {
        return listVersions(contextId, DEFAULT_VERSION_PAGE_SIZE, null);
    }

    /**
     * One page of the context's kept versions (the server's retention decides which: by default the last 10
     * generations and those younger than a day), newest first.
     *
     * @param maxResults versions per page, 1 to 1000
     * @param nextToken the {@code nextToken} of the previous page, or {@code null} for the first
     * @throws IllegalArgumentException if {@code contextId} is blank or {@code maxResults} is out of range
     */
    public ContextVersionListResult listVersions(String contextId, int maxResults, String nextToken) {
        requireId("list versions of context", contextId);
        requirePageSize("list versions of context '" + contextId + "'", maxResults);
        ApiResponse response = client.post(
                "/sdk/ListContextVersions",
                query("contextId", contextId, "maxResults", String.valueOf(maxResults), "nextToken", nextToken),
                null);
        if (!response.ok()) {
            return new ContextVersionListResult(false, response.requestId(), response.errorMessage(), List.of(), "", 0);
        }
        List<ContextVersion> versions = new ArrayList<>();
        for (JsonNode v : response.data()) {
            versions.add(new ContextVersion(
                    v.path("generation").asLong(),
                    Json.text(v, "committedTime"),
                    v.path("fileCount").asLong(),
                    v.path("totalBytes").asLong(),
                    Json.text(v, "uploadMode"),
                    v.path("current").asBoolean()));
        }
        JsonNode body = response.body();
        return new ContextVersionListResult(
                true,
                response.requestId(),
                "",
                versions,
                Json.text(body, "nextToken"),
                body.path("totalCount").asInt(versions.size()));
    }

    /**
     * Every path that differs from version {@code fromGeneration} to version {@code toGeneration} (added, removed or
     * changed, with sizes), in path order, reading all pages. For very large diffs use the paged call.
     *
     * @throws IllegalArgumentException if {@code contextId} is blank or a generation is below 1
     */
    public ContextVersionDiffResult diffVersions(String contextId, long fromGeneration, long toGeneration) {
        List<ContextVersionChange> all = new ArrayList<>();
        String token = null;
        ContextVersionDiffResult page;
        do {
            page = diffVersions(contextId, fromGeneration, toGeneration, DEFAULT_VERSION_PAGE_SIZE, token);
            if (!page.success()) {
                return page;
            }
            all.addAll(page.changes());
            token = page.nextToken();
        } while (!token.isEmpty());
        return new ContextVersionDiffResult(true, page.requestId(), "", all, "");
    }

    /**
     * One page of the differences from version {@code fromGeneration} to version {@code toGeneration}.
     *
     * @param maxResults changes per page, 1 to 1000
     * @param nextToken the {@code nextToken} of the previous page, or {@code null} for the first
     * @throws IllegalArgumentException if {@code contextId} is blank, a generation is below 1 or {@code maxResults}
     *     is out of range
     */
    public ContextVersionDiffResult diffVersions(
            String contextId, long fromGeneration, long toGeneration, int maxResults, String nextToken) {
        requireId("diff versions of context", contextId);
        requireGeneration("diff", contextId, fromGeneration);
        requireGeneration("diff", contextId, toGeneration);
        requirePageSize("diff versions of context '" + contextId + "'", maxResults);
        ApiResponse response = client.post(
                "/sdk/DiffContextVersions",
                query(
                        "contextId",
                        contextId,
                        "fromGeneration",
                        String.valueOf(fromGeneration),
                        "toGeneration",
                        String.valueOf(toGeneration),
                        "maxResults",
                        String.valueOf(maxResults),
                        "nextToken",
                        nextToken),
                null);
        if (!response.ok()) {
            return new ContextVersionDiffResult(false, response.requestId(), response.errorMessage(), List.of(), "");
        }
        List<ContextVersionChange> changes = new ArrayList<>();
        for (JsonNode c : response.data()) {
            changes.add(new ContextVersionChange(
                    Json.text(c, "path"),
                    ContextVersionChange.Kind.fromWire(Json.text(c, "change")),
                    Json.text(c, "fileType"),
                    c.path("sizeBefore").isNumber() ? c.path("sizeBefore").asLong() : null,
                    c.path("sizeAfter").isNumber() ? c.path("sizeAfter").asLong() : null));
        }
        return new ContextVersionDiffResult(
                true, response.requestId(), "", changes, Json.text(response.body(), "nextToken"));
    }

    /**
     * Makes version {@code generation} the context's current content again, as a new generation (an ordinary commit:
     * sessions that mount the context see it on their next download; nothing is copied). Nothing is committed when the
     * current content already is that version's.
     *
     * @throws IllegalArgumentException if {@code contextId} is blank or {@code generation} is below 1
     */
    public ContextVersionRestoreResult restoreVersion(String contextId, long generation) {
        requireId("restore a version of context", contextId);
        requireGeneration("restore", contextId, generation);
        ApiResponse response = client.post(
                "/sdk/RestoreContextVersion",
                query("contextId", contextId, "generation", String.valueOf(generation)),
                null);
        if (!response.ok()) {
            return new ContextVersionRestoreResult(
                    false, response.requestId(), response.errorMessage(), generation, 0, false);
        }
        JsonNode data = response.data();
        return new ContextVersionRestoreResult(
                true,
                response.requestId(),
                "",
                data.path("restoredGeneration").asLong(generation),
                data.path("generation").asLong(),
                data.path("committed").asBoolean());
    }

    private static void requireGeneration(String verb, String contextId, long generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("Cannot " + verb + " version " + generation + " of context '" + contextId
                    + "': generations start at 1 (listVersions(id) lists them)");
        }
    }

    private static void requirePageSize(String what, int maxResults) {
        if (maxResults < 1 || maxResults > 1000) {
            throw new IllegalArgumentException(
                    "Cannot " + what + " with maxResults " + maxResults + ": it must be between 1 and 1000");
        }
    }

    private static void requireFilePath(String verb, String filePath) {
        if (filePath == null || filePath.isBlank()) {
            throw new IllegalArgumentException("Cannot " + verb + " file '" + filePath
                    + "': the path is blank (give the absolute path of the file, such as '/home/data/a.txt')");
        }
    }

    private static void requireId(String verb, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(
                    "Cannot " + verb + " '" + id + "': the id is blank (use the id of a Context from get or list)");
        }
    }
}
