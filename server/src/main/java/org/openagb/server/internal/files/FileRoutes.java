package org.openagb.server.internal.files;

import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openagb.server.internal.context.ContextRecord;
import org.openagb.server.internal.context.ContextService;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Requests;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.ContextFile;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presigned context-file URLs (WIRE.md §6.5, §6.6): {@code GetContextFileUploadUrl} / {@code
 * GetContextFileDownloadUrl} hand out {@code <base>/files/<token>}; {@code PUT} and {@code GET} on that URL (no API
 * key; the HMAC-signed token is the authority) stream a file into or out of the context without buffering it.
 */
public final class FileRoutes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final ContextService contexts;
    private final SyncEngine engine;
    private final ObjectStore objects;
    private final UrlSigner signer;
    private final Md5Store md5s;
    private final String publicBaseUrl;
    private final Duration ttl;
    private final Path tempDir;

    public FileRoutes(
            ContextService contexts,
            SyncEngine engine,
            ObjectStore objects,
            UrlSigner signer,
            Md5Store md5s,
            String publicBaseUrl,
            Duration ttl,
            Path tempDir) {
        this.contexts = contexts;
        this.engine = engine;
        this.objects = objects;
        this.signer = signer;
        this.md5s = md5s;
        this.publicBaseUrl = publicBaseUrl;
        this.ttl = ttl;
        this.tempDir = tempDir;
    }

    public void register(RoutesConfig routes) {
        routes.post("/sdk/GetContextFileUploadUrl", this::uploadUrl);
        routes.post("/sdk/GetContextFileDownloadUrl", this::downloadUrl);
        routes.put("/files/{token}", this::put);
        routes.get("/files/{token}", this::get);
    }

    // --- URL issuing (API key required) ---

    private void uploadUrl(Context ctx) {
        String contextId = required(ctx, "contextId");
        ContextRecord context = contexts.byId(tenant(ctx), contextId)
                .orElseThrow(() -> ApiException.contextNotFound("with id '" + contextId + "'"));
        String path = filePath(required(ctx, "filePath"));
        issue(ctx, context, path, UrlSigner.PUT);
    }

    private void downloadUrl(Context ctx) {
        String contextId = required(ctx, "contextId");
        ContextRecord context = contexts.byId(tenant(ctx), contextId)
                .orElseThrow(() -> ApiException.contextNotFound("with id '" + contextId + "'"));
        String raw = required(ctx, "filePath");
        String path = filePath(raw);
        Optional<ManifestEntry> entry = engine.stat(context.id(), path);
        if (entry.isEmpty() || entry.get().type() != EntryType.FILE) {
            throw fileNotFound(context.id(), raw, entry.isPresent());
        }
        issue(ctx, context, path, UrlSigner.GET);
    }

    private void issue(Context ctx, ContextRecord context, String path, String operation) {
        long seconds = ttl.toSeconds();
        String token = signer.sign(context.tenant(), context.id(), path, operation, seconds);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", Requests.baseUrl(ctx, publicBaseUrl) + "/files/" + token);
        data.put("expireTime", seconds);
        Envelope.ok(ctx, data);
    }

    /** The configured public base, else {@code http://<Host of this request>} (what the client reached us by). */

    // --- the presigned URLs (no API key) ---

    private void put(Context ctx) throws IOException {
        UrlSigner.Grant grant = signer.verify(ctx.pathParam("token"), UrlSigner.PUT);
        ContextRecord context = liveContext(grant);
        long length = ctx.req().getContentLengthLong();
        String what = "upload '" + grant.path() + "' to context '" + context.id() + "'";
        contexts.quota().requireRoom(context.tenant(), Math.max(0, length), what);
        MessageDigest md5 = md5();
        ManifestEntry entry;
        if (length >= 0) {
            try (InputStream body = new DigestInputStream(ctx.req().getInputStream(), md5)) {
                entry = store(context, grant.path(), body, length);
            }
        } else {
            // Chunked (no Content-Length): spool to disk first, since the engine needs the length up front.
            Files.createDirectories(tempDir);
            Path spool = Files.createTempFile(tempDir, "openagb-put-", ".tmp");
            try {
                long remaining = contexts.quota().remaining(context.tenant());
                try (InputStream body = new DigestInputStream(ctx.req().getInputStream(), md5)) {
                    // At most the remaining quota (and one byte to notice more) reaches the spool.
                    long copied = copyAtMost(body, spool, remaining == Long.MAX_VALUE ? Long.MAX_VALUE : remaining + 1);
                    if (copied > remaining) {
                        throw contexts.quota().exceeded(what, contexts.quota().usage(context.tenant()), copied);
                    }
                }
                try (InputStream in = Files.newInputStream(spool)) {
                    entry = store(context, grant.path(), in, Files.size(spool));
                }
            } finally {
                Files.deleteIfExists(spool);
            }
        }
        String hex = HexFormat.of().formatHex(md5.digest());
        if (entry.blob() != null) {
            md5s.put(
                    context.id(),
                    entry.blob().objectKey(),
                    entry.blob().offset(),
                    entry.blob().length(),
                    hex);
        }
        contexts.store().touch(context.id());
        log.info("event=file.put context={} path={} bytes={}", context.id(), grant.path(), entry.size());
        ctx.status(200);
        ctx.header("ETag", "\"" + hex + "\"");
        ctx.result("");
    }

    /** Copies at most {@code limit} bytes of {@code in} to {@code file}; returns how many it copied. */
    private static long copyAtMost(InputStream in, Path file, long limit) throws IOException {
        long copied = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while (copied < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied))) > 0) {
                out.write(buffer, 0, n);
                copied += n;
            }
        }
        return copied;
    }

    private ManifestEntry store(ContextRecord context, String path, InputStream body, long length) {
        try {
            return engine.putFile(context.id(), path, body, length);
        } catch (SyncException e) {
            throw ApiException.invalid(
                    "Cannot store '" + path + "' in context '" + context.id() + "': " + e.getMessage());
        }
    }

    private void get(Context ctx) throws IOException {
        UrlSigner.Grant grant = signer.verify(ctx.pathParam("token"), UrlSigner.GET);
        ContextRecord context = liveContext(grant);
        Optional<ManifestEntry> stat = engine.stat(context.id(), grant.path());
        if (stat.isEmpty() || stat.get().type() != EntryType.FILE) {
            throw new ApiException(
                    404,
                    "InvalidContextFile.NotFound",
                    "File '" + grant.path() + "' not found in context '" + context.id()
                            + "' (it was deleted or replaced by a folder)");
        }
        ManifestEntry entry = stat.get();
        long size = entry.size();
        String range = ctx.header("Range");
        long from = 0;
        long to = size - 1;
        boolean partial = false;
        if (range != null && !range.isBlank() && !range.contains(",")) {
            Matcher m = RANGE.matcher(range.strip());
            if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
                throw rangeNotSatisfiable(ctx, size, "Range '" + range + "' is not of the form bytes=<first>-<last>");
            }
            try {
                if (m.group(1).isEmpty()) { // suffix: the last n bytes
                    long n = Long.parseLong(m.group(2));
                    from = Math.max(0, size - n);
                } else {
                    from = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        to = Math.min(to, Long.parseLong(m.group(2)));
                    }
                }
            } catch (NumberFormatException e) {
                throw rangeNotSatisfiable(ctx, size, "Range '" + range + "' has a number too large");
            }
            if (from >= size || from > to) {
                throw rangeNotSatisfiable(ctx, size, "Range '" + range + "' is outside the file's " + size + " bytes");
            }
            partial = true;
        }
        String etag = "\"" + md5Of(context.id(), entry) + "\"";
        HttpServletResponse res = ctx.res();
        res.setStatus(partial ? 206 : 200);
        res.setContentType("application/octet-stream");
        res.setHeader("ETag", etag);
        res.setHeader("Accept-Ranges", "bytes");
        long length = size == 0 ? 0 : to - from + 1;
        res.setContentLengthLong(length);
        if (partial) {
            res.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        try {
            if (partial) {
                try (InputStream in =
                        objects.get(entry.blob().objectKey(), entry.blob().offset() + from, length)) {
                    copy(in, res.getOutputStream());
                }
            } else {
                try (ContextFile file = engine.openFile(context.id(), grant.path())) {
                    copy(file.content(), res.getOutputStream());
                }
            }
            res.getOutputStream().flush();
        } catch (IOException | UncheckedIOException e) {
            // Status and headers are sent already: the short body (Content-Length unmet) aborts the connection, so
            // the client sees a failed download, never a silently truncated file.
            log.warn(
                    "event=file.get.aborted context={} path={} error=\"{}\"", context.id(), grant.path(), e.toString());
        }
    }

    private static ApiException rangeNotSatisfiable(Context ctx, long size, String message) {
        ctx.header("Content-Range", "bytes */" + size);
        return new ApiException(416, "InvalidParameter.Range", message + " (send bytes=<first>-<last>)");
    }

    private String md5Of(String contextId, ManifestEntry entry) throws IOException {
        if (entry.blob() == null) {
            return EMPTY_MD5;
        }
        Optional<String> known =
                md5s.find(entry.blob().objectKey(), entry.blob().offset());
        if (known.isPresent()) {
            return known.get();
        }
        // Written by a session sync, not by PUT: hash the immutable blob once and remember it.
        MessageDigest md5 = md5();
        try (InputStream in = new DigestInputStream(
                objects.get(
                        entry.blob().objectKey(),
                        entry.blob().offset(),
                        entry.blob().length()),
                md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String hex = HexFormat.of().formatHex(md5.digest());
        md5s.put(
                contextId,
                entry.blob().objectKey(),
                entry.blob().offset(),
                entry.blob().length(),
                hex);
        return hex;
    }

    private ContextRecord liveContext(UrlSigner.Grant grant) {
        return contexts.store()
                .byId(grant.tenant(), grant.contextId())
                .orElseThrow(() -> new ApiException(
                        404,
                        "InvalidContext.NotFound",
                        "Context '" + grant.contextId()
                                + "' of this file URL no longer exists (it was deleted, or its session ended)"));
    }

    private static String filePath(String raw) {
        return ContextService.normaliseFile(raw);
    }

    private static ApiException fileNotFound(String contextId, String path, boolean folder) {
        return ApiException.notFound(
                "InvalidContextFile.NotFound",
                "File '" + path + "' not found in context '" + contextId + "'"
                        + (folder ? " (it is a folder; name a file)" : " (DescribeContextFiles lists what it holds)"));
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }
}
