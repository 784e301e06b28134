package org.openagb.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

/** Plain HTTP on presigned file URLs, as the SDKs do it: no API key, raw bytes. */
final class PresignedHttp {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A reply: status, ETag header, body bytes (possibly a JSON error). */
    record Answer(int status, String etag, String contentType, String contentRange, long contentLength, byte[] body) {
        JsonNode json() {
            try {
                return WireClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + new String(body), e);
            }
        }
    }

    private PresignedHttp() {}

    static Answer put(String url, byte[] bytes) {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** PUT without Content-Length (chunked transfer encoding). */
    static Answer putChunked(String url, byte[] bytes) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    /** PUT of {@code length} bytes from a stream, with Content-Length. */
    static Answer putStream(String url, Supplier<InputStream> data, long length) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(data), length)));
    }

    static Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static Answer get(String url, String range) {
        return send(
                HttpRequest.newBuilder(URI.create(url)).header("Range", range).GET());
    }

    /** GET streamed through MD5: returns {status, etag, size, md5} without holding the body. */
    record Streamed(int status, String etag, long contentLength, long size, String md5) {}

    static Streamed getStreamed(String url) {
        try {
            HttpResponse<InputStream> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofMinutes(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest md5 = md5();
            long size = 0;
            try (InputStream in = r.body()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    md5.update(buffer, 0, n);
                    size += n;
                }
            }
            return new Streamed(
                    r.statusCode(),
                    r.headers().firstValue("etag").orElse(null),
                    r.headers().firstValueAsLong("content-length").orElse(-1),
                    size,
                    HexFormat.of().formatHex(md5.digest()));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(
                    r.statusCode(),
                    r.headers().firstValue("etag").orElse(null),
                    r.headers().firstValue("content-type").orElse(null),
                    r.headers().firstValue("content-range").orElse(null),
                    r.headers().firstValueAsLong("content-length").orElse(-1),
                    r.body());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String md5Hex(byte[] bytes) {
        return HexFormat.of().formatHex(md5().digest(bytes));
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A deterministic pseudo-random stream of {@code length} bytes generated on the fly: byte {@code i} depends only
     * on {@code i} and the seed (splitmix64 of {@code i / 8}), so any read pattern yields the same bytes.
     */
    static InputStream generated(long length, long seed) {
        return new InputStream() {
            private long position;
            private long word;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                for (int i = 0; i < n; i++, position++) {
                    int k = (int) (position & 7);
                    if (k == 0 || i == 0) {
                        word = mix((position >>> 3) + seed);
                    }
                    b[off + i] = (byte) (word >>> (8 * k));
                }
                return n;
            }
        };
    }

    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
