package org.openagb.server.internal.context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.server.internal.http.ApiException;
import org.openagb.sync.ContextVersion;
import org.openagb.sync.EntryType;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.RestoreResult;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.VersionChange;
import org.openagb.sync.VersionDiff;
import org.openagb.sync.VersionNotFoundException;

/**
 * Context versions for one tenant at a time (docs/versions.md): list, diff, restore. Every call first looks the
 * context up under the caller's key, so another key's context is not found, whatever its versions. Thread-safe.
 */
public final class VersionService {
    private final ContextStore store;
    private final SyncEngine engine;
    private final StorageQuota quota;

    public VersionService(ContextStore store, SyncEngine engine, StorageQuota quota) {
        this.store = store;
        this.engine = engine;
        this.quota = quota;
    }

    /** One page of versions, newest first. */
    public record VersionPage(List<Map<String, Object>> versions, String nextToken, long total) {}

    /** One page of a diff. */
    public record DiffPage(List<Map<String, Object>> changes, String nextToken) {}

    private ContextRecord existing(String tenant, String id) {
        return store.byId(tenant, id).orElseThrow(() -> ApiException.contextNotFound("with id '" + id + "'"));
    }

    /** The retained versions after generation {@code below} (exclusive; 0 = from the newest). */
    public VersionPage list(String tenant, String contextId, int max, long below) {
        ContextRecord context = existing(tenant, contextId);
        List<ContextVersion> all = engine.versions(context.id());
        long current = engine.head(context.id()).generation();
        List<Map<String, Object>> page = new ArrayList<>();
        String next = "";
        for (ContextVersion v : all) {
            if (below > 0 && v.generation() >= below) {
                continue;
            }
            if (page.size() == max) {
                next = String.valueOf(page.get(page.size() - 1).get("generation"));
                break;
            }
            page.add(view(v, current));
        }
        return new VersionPage(page, next, all.size());
    }

    /** One page of the diff from {@code from} to {@code to}, after the page token {@code token} (null: the start). */
    public DiffPage diff(String tenant, String contextId, long from, long to, String token, int max) {
        ContextRecord context = existing(tenant, contextId);
        String after = token == null || token.isBlank() ? null : decodeToken(token);
        VersionDiff diff = versionCall(() -> engine.diffVersions(context.id(), from, to, after, max));
        List<Map<String, Object>> changes = new ArrayList<>();
        for (VersionChange c : diff.changes()) {
            changes.add(view(c));
        }
        return new DiffPage(changes, diff.nextPath() == null ? "" : encodeToken(diff.nextPath()));
    }

    /**
     * Restores version {@code generation} as a new generation; refused over the key's storage quota when it would
     * add bytes.
     */
    public RestoreResult restore(String tenant, String contextId, long generation) {
        ContextRecord context = existing(tenant, contextId);
        ContextVersion version = versionCall(() -> engine.version(context.id(), generation));
        Head head = engine.head(context.id());
        long currentBytes = 0;
        for (ContextVersion v : engine.versions(context.id())) {
            if (v.generation() == head.generation()) {
                currentBytes = Math.max(0, v.stats().bytes());
            }
        }
        long more = Math.max(0, version.stats().bytes()) - currentBytes;
        if (more > 0) {
            quota.requireRoom(tenant, more, "restore version " + generation + " of context '" + context.id() + "'");
        }
        RestoreResult r = versionCall(() -> engine.restoreVersion(context.id(), generation));
        store.touch(context.id());
        return r;
    }

    private static <T> T versionCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (VersionNotFoundException e) {
            throw ApiException.notFound("InvalidContextVersion.NotFound", e.getMessage());
        }
    }

    private static Map<String, Object> view(ContextVersion v, long current) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", v.generation());
        m.put("committedTime", v.committedAt().toString());
        m.put("fileCount", v.stats().files());
        m.put("totalBytes", v.stats().bytes());
        m.put("uploadMode", v.mode() == null ? "" : v.mode().wireName());
        m.put("current", v.generation() == current);
        return m;
    }

    private static Map<String, Object> view(VersionChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", c.path());
        ManifestEntry before = null;
        ManifestEntry after = null;
        if (c instanceof VersionChange.Added a) {
            m.put("change", "added");
            after = a.entry();
        } else if (c instanceof VersionChange.Removed r) {
            m.put("change", "removed");
            before = r.entry();
        } else if (c instanceof VersionChange.Changed ch) {
            m.put("change", "changed");
            before = ch.before();
            after = ch.after();
        }
        m.put("fileType", type(after != null ? after : before));
        m.put("sizeBefore", before == null ? null : before.size());
        m.put("sizeAfter", after == null ? null : after.size());
        return m;
    }

    private static String type(ManifestEntry e) {
        return e.type() == EntryType.DIRECTORY ? "folder" : e.type() == EntryType.SYMLINK ? "symlink" : "file";
    }

    static String encodeToken(String path) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            String path = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (path.startsWith("/")) {
                return path;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.invalid("Parameter 'nextToken' ('" + token
                + "') is not a token this server issued (pass the nextToken of the previous page, or none)");
    }
}
