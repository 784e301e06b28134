package org.openagb.server.internal.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys. A key is a tenant: everything is scoped to the key that made it. Only the SHA-256 of a key is
 * stored (keys are 256-bit random, so a salt adds nothing); the plain key is shown once, when it is created.
 */
public final class ApiKeyStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored key, without its secret. */
    public record KeyInfo(String id, String name, long createdAt, Long revokedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    /** A newly created key: the secret is only available here. */
    public record NewKey(String id, String name, String secret) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public ApiKeyStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public NewKey create(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Cannot create API key: the name is empty (give a name such as 'ci')");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "akm-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String id = "key-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        jdbi.useHandle(h -> h.createUpdate(
                        "INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (:id, :name, :hash, :now)")
                .bind("id", id)
                .bind("name", name)
                .bind("hash", hash(key))
                .bind("now", clock.millis())
                .execute());
        return new NewKey(id, name, key);
    }

    /** The tenant (key id) of an active key, if the secret matches one. */
    public Optional<String> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return jdbi.withHandle(
                h -> h.createQuery("SELECT id FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
                        .bind("hash", hash(secret))
                        .mapTo(String.class)
                        .findOne());
    }

    /** Whether the key with id {@code id} exists and is not revoked. */
    public boolean isActive(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys WHERE id = :id AND revoked_at IS NULL")
                        .bind("id", id)
                        .mapTo(Long.class)
                        .one())
                > 0;
    }

    public List<KeyInfo> list() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id")
                .map((rs, c) -> new KeyInfo(rs.getString(1), rs.getString(2), rs.getLong(3), nullableLong(rs, 4)))
                .list());
    }

    public boolean isEmpty() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys")
                        .mapTo(Long.class)
                        .one())
                == 0;
    }

    /** Revokes a key by id or name; returns false if no active key matched. */
    public boolean revoke(String idOrName) {
        int n = jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE api_keys SET revoked_at = :now WHERE (id = :k OR name = :k) AND revoked_at IS NULL")
                .bind("k", idOrName)
                .bind("now", clock.millis())
                .execute());
        return n > 0;
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
