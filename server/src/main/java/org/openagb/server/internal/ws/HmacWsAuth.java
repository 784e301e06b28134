package org.openagb.server.internal.ws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link WsAuth} by HMAC: a session's token is {@code "wst-" + base64url(HMAC-SHA256(key, sessionId))}, so it opens
 * that session's socket and no other, and needs no storage. The 32-byte key is generated on first start and kept in
 * {@code <dataDir>/ws-token.key} (mode 0600), so tokens survive a restart. Session ids are random and never reused,
 * so a released session's token opens nothing. Thread safe.
 */
public final class HmacWsAuth implements WsAuth {
    /** The file the key is kept in, under the data dir. */
    public static final String KEY_FILE = "ws-token.key";

    private static final String PREFIX = "wst-";

    private final SecretKeySpec key;

    HmacWsAuth(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** Loads the data dir's key, creating it (0600) on first use. */
    public static HmacWsAuth open(Path dataDir) {
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
                    Files.createLink(file, temp); // atomic: never replaces a key another start just wrote
                } catch (FileAlreadyExistsException raced) {
                    // another process won; use its key
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            byte[] key = HexFormat.of()
                    .parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length < 16) {
                throw new IllegalStateException("WebSocket token key '" + file + "' is too short (" + key.length
                        + " bytes); delete it to generate a new one (the sessions' current tokens stop working)");
            }
            return new HmacWsAuth(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "Cannot read or create the WebSocket token key '" + file + "': " + e.getMessage()
                            + " (check the data directory's permissions, or delete the file to generate a new key)",
                    e);
        }
    }

    @Override
    public String token(String sessionId) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(sessionId));
    }

    @Override
    public boolean allows(String sessionId, String token) {
        if (sessionId == null || token == null || token.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(
                token(sessionId).getBytes(StandardCharsets.US_ASCII),
                token.strip().getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
