package org.openagb.server.internal.context;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.openagb.server.internal.http.ApiException;
import org.openagb.sync.ContextPaths;

/** Context operations for one tenant at a time; every lookup is scoped to the caller's key. */
public final class ContextService {
    /** Names of internal contexts start with this; users cannot take such a name. */
    public static final String INTERNAL_NAME_PREFIX = "__openagb_internal__/";

    /** One page of DescribeContextFiles. */
    public record FilePage(List<Map<String, Object>> entries, long total) {}

    private final ContextStore store;
    private final ContextContent content;
    private final Function<String, List<String>> liveSessionsMounting;

    private final StorageQuota quota;

    /**
     * @param mountedBy the ids of the live sessions that mount a context (the node's live-session registry)
     */
    public ContextService(
            ContextStore store, ContextContent content, StorageQuota quota, Function<String, List<String>> mountedBy) {
        this.store = store;
        this.content = content;
        this.quota = quota;
        this.liveSessionsMounting = mountedBy;
    }

    /** The storage quota of the API keys. */
    public StorageQuota quota() {
        return quota;
    }

    public ContextStore store() {
        return store;
    }

    public List<ContextRecord> list(String tenant, int max, int offset) {
        return store.listUserContextsNewestFirst(tenant, max, offset);
    }

    public long count(String tenant) {
        return store.countUserContexts(tenant);
    }

    /** The context an operation names; not-found if the tenant has none of that id. */
    private ContextRecord existing(String tenant, String id) {
        return store.byId(tenant, id).orElseThrow(() -> ApiException.contextNotFound("with id '" + id + "'"));
    }

    /** The tenant's context of that id (internal ones included); empty if there is none. */
    public Optional<ContextRecord> byId(String tenant, String id) {
        return store.byId(tenant, id);
    }

    public ContextRecord byName(String tenant, String name, boolean create) {
        validateName(name);
        if (create) {
            return store.getOrCreate(tenant, name, ContextKind.USER, null);
        }
        return store.byName(tenant, name)
                .orElseThrow(() ->
                        ApiException.contextNotFound("named '" + name + "' (pass allowCreate=true to create it)"));
    }

    public void rename(String tenant, String id, String name) {
        validateName(name);
        ContextRecord context = existing(tenant, id);
        if (context.internal()) {
            throw ApiException.invalid("Cannot rename context '" + id + "': it is the internal "
                    + context.kind().dbName() + " context of session " + context.ownerSession()
                    + " (it is managed by the server)");
        }
        store.byName(tenant, name).ifPresent(other -> {
            if (!other.id().equals(context.id())) {
                throw ApiException.invalid("Cannot rename context '" + id + "' to '" + name
                        + "': that name is already taken by context '" + other.id() + "' (choose another name)");
            }
        });
        if (!store.rename(id, name)) {
            throw ApiException.invalid("Cannot rename context '" + id + "' to '" + name
                    + "': that name is already taken (choose another name)");
        }
    }

    public void delete(String tenant, String id) {
        ContextRecord context = existing(tenant, id);
        List<String> sessions = liveSessionsMounting.apply(context.id());
        if (!sessions.isEmpty()) {
            throw ApiException.conflict(
                    "InvalidContext.InUse",
                    "Cannot delete context '" + id + "': it is mounted by live session(s) "
                            + String.join(", ", sessions) + " (release them first)");
        }
        content.destroy(context.id());
        store.delete(context.id());
    }

    /** Removes a session's internal context (file transfer) with its data, when the session ends. */
    public void destroyInternal(ContextRecord context) {
        content.destroy(context.id());
        store.delete(context.id());
    }

    public void clear(String tenant, String id) {
        ContextRecord context = existing(tenant, id);
        store.setState(context.id(), ContextState.CLEARING);
        try {
            content.clear(context.id());
        } finally {
            store.setState(context.id(), ContextState.AVAILABLE);
        }
    }

    public FilePage listFiles(String tenant, String contextId, String parent, int page, int size) {
        ContextRecord context = existing(tenant, contextId);
        String folder = normaliseFolder(parent);
        List<ContextContent.Child> children = content.listChildren(context.id(), folder);
        int from = (int) Math.min((long) (page - 1) * size, children.size());
        int to = Math.min(from + size, children.size());
        List<Map<String, Object>> entries = children.subList(from, to).stream()
                .map(ContextService::fileView)
                .toList();
        return new FilePage(entries, children.size());
    }

    public void deleteFile(String tenant, String contextId, String path) {
        ContextRecord context = existing(tenant, contextId);
        content.deleteFile(context.id(), normaliseFile(path));
    }

    static void validateName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid(
                    "Cannot use an empty context name (give a meaningful name such as 'project-alpha')");
        }
        if (name.startsWith(INTERNAL_NAME_PREFIX)) {
            throw ApiException.invalid("Cannot use context name '" + name + "': names starting with '"
                    + INTERNAL_NAME_PREFIX + "' are reserved for the server's internal contexts (choose another name)");
        }
        if (name.length() > 256) {
            throw ApiException.invalid("Cannot use context name '" + name.substring(0, 40) + "…': it is "
                    + name.length() + " characters long (at most 256)");
        }
    }

    /** A folder path as stored: absolute, no trailing slash, "/" for the root ({@link ContextPaths#parse}). */
    public static String normaliseFolder(String parent) {
        if (parent == null || parent.isBlank()) {
            return "/";
        }
        return ContextPaths.parse(parent);
    }

    /** A file path as stored ({@link ContextPaths#parse}); it must name a file, not end with '/'. */
    public static String normaliseFile(String path) {
        if (path == null || path.isBlank()) {
            throw ApiException.invalid("Missing file path (pass an absolute path such as '/home/project/a.txt')");
        }
        if (path.endsWith("/") || path.endsWith("\\")) {
            throw ApiException.invalid("Cannot use file path '" + path + "': it ends with '/' (name a file)");
        }
        String p = ContextPaths.parse(path);
        if (p.equals("/")) {
            throw ApiException.invalid("Cannot use file path '" + path + "': it is the root (name a file)");
        }
        return p;
    }

    private static Map<String, Object> fileView(ContextContent.Child child) {
        Map<String, Object> m = new LinkedHashMap<>();
        String time = Instant.ofEpochMilli(child.modifiedAtMillis()).toString();
        m.put("fileId", child.path());
        m.put("fileName", child.name());
        m.put("filePath", child.path());
        m.put("fileType", child.folder() ? "folder" : "file");
        m.put("gmtCreate", time);
        m.put("gmtModified", time);
        m.put("size", child.size());
        m.put("status", "ready");
        return m;
    }
}
