package org.openagb.server.internal.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Json;

/**
 * Issues and checks the tokens of presigned file URLs ({@code /files/<token>}, WIRE.md §6.6).
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))}; the payload binds
 * the tenant (API key id), context id, file path, operation ({@code put}/{@code get}) and expiry (epoch seconds).
 * The secret is 32 random bytes generated on first start and kept in {@code <dataDir>/url-signing.key} (mode 0600),
 * so URLs survive a restart. Thread-safe.
 */
public final class UrlSigner {
    /** The file the signing secret is kept in, under the data dir. */
    public static final String KEY_FILE = "url-signing.key";

    public static final String PUT = "put";
    public static final String GET = "get";

    /** What a verified token grants. */
    public record Grant(String tenant, String contextId, String path, String operation, long expiresAtSeconds) {}

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Clock clock;

    UrlSigner(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** Loads the data dir's signing secret, creating it (0600) on first use. */
    public static UrlSigner open(Path dataDir, Clock clock) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path temp = Files.createTempFile(
                        dataDir,
                        KEY_FILE,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, HexFormat.of().formatHex(fresh) + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.createLink(file, temp); // atomic: never replaces a secret another start just wrote
                } catch (FileAlreadyExistsException raced) {
                    // another process won; use its secret
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            byte[] secret = HexFormat.of().parseHex(text);
            if (secret.length < 16) {
                throw new IllegalStateException("URL signing key '" + file + "' is too short (" + secret.length
                        + " bytes); delete it to generate a new one (outstanding file URLs stop working)");
            }
            return new UrlSigner(secret, clock);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot read or create the URL signing key '" + file + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "URL signing key '" + file + "' is not hex (" + e.getMessage()
                            + "); delete it to generate a new one (outstanding file URLs stop working)",
                    e);
        }
    }

    /**
     * The cluster's signing secret: the first node to start on a database offers its data dir's secret (see
     * {@link #open(Path, Clock)}) to the {@code cluster_secrets} table, and every node signs with the one stored there,
     * so a file URL, link token or port link one node hands out is honoured by all of them.
     */
    public static UrlSigner shared(Path dataDir, Clock clock, org.jdbi.v3.core.Jdbi jdbi) {
        UrlSigner local = open(dataDir, clock);
        String offered = HexFormat.of().formatHex(local.secret);
        String stored = jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO cluster_secrets (name, value) VALUES (:n, :v) ON CONFLICT (name) DO NOTHING")
                    .bind("n", "url-signing")
                    .bind("v", offered)
                    .execute();
            return h.createQuery("SELECT value FROM cluster_secrets WHERE name = :n")
                    .bind("n", "url-signing")
                    .mapTo(String.class)
                    .one();
        });
        return stored.equals(offered) ? local : new UrlSigner(HexFormat.of().parseHex(stored), clock);
    }

    /**
     * A key for another purpose derived from this server's secret (HMAC-SHA256 of {@code purpose}), so each use of the
     * secret has its own key and none can stand in for another.
     */
    public byte[] deriveKey(String purpose) {
        return mac("derive\0" + purpose);
    }

    /** A token granting {@code operation} on one file until now + ttlSeconds. */
    public String sign(String tenant, String contextId, String path, String operation, long ttlSeconds) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("v", 1);
        payload.put("k", tenant);
        payload.put("c", contextId);
        payload.put("p", path);
        payload.put("o", operation);
        payload.put("e", clock.instant().getEpochSecond() + ttlSeconds);
        String body = B64.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(mac(body));
    }

    /**
     * Checks a token for {@code operation}: signature first (any change to the token fails it), then operation and
     * expiry. Failures are 403 errors whose code and message name the problem.
     */
    public Grant verify(String token, String operation) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
            throw forbidden(
                    "InvalidToken.Malformed",
                    "File URL token is malformed (expected '<payload>.<signature>';"
                            + " request a new URL with GetContextFileUploadUrl or GetContextFileDownloadUrl)");
        }
        String body = token.substring(0, dot);
        String signature = token.substring(dot + 1);
        byte[] expected = B64.encodeToString(mac(body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw forbidden(
                    "InvalidToken.Signature",
                    "File URL signature does not match: the URL was altered or"
                            + " was not issued by this server (request a new URL)");
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(B64D.decode(body));
        } catch (IOException | IllegalArgumentException e) {
            throw forbidden("InvalidToken.Malformed", "File URL payload is unreadable (request a new URL)");
        }
        Grant grant = new Grant(
                payload.path("k").asText(),
                payload.path("c").asText(),
                payload.path("p").asText(),
                payload.path("o").asText(),
                payload.path("e").asLong());
        if (!grant.operation().equals(operation)) {
            throw forbidden(
                    "InvalidToken.Operation",
                    "This file URL is " + describe(grant.operation())
                            + " URL for '" + grant.path() + "' and cannot be used to " + verb(operation) + " (use "
                            + (operation.equals(PUT) ? "GetContextFileUploadUrl" : "GetContextFileDownloadUrl") + ")");
        }
        long now = clock.instant().getEpochSecond();
        if (now >= grant.expiresAtSeconds()) {
            throw forbidden(
                    "InvalidToken.Expired",
                    "File URL for '" + grant.path() + "' expired "
                            + (now - grant.expiresAtSeconds()) + " s ago (URLs are valid for the expireTime seconds"
                            + " returned with them; request a new URL)");
        }
        return grant;
    }

    private static String describe(String op) {
        return op.equals(PUT) ? "an upload" : op.equals(GET) ? "a download" : "a '" + op + "'";
    }

    private static String verb(String op) {
        return op.equals(PUT) ? "upload (PUT)" : "download (GET)";
    }

    private static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message);
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
