package org.openagb.server.internal.session;

import java.util.Optional;

/**
 * The tokens of port links ({@code /internet/getLink}): {@code <sessionId>.<port>.<HMAC>} under a server secret. A
 * link is a capability: whoever holds the URL reaches that port of that session, and nothing else; it is only handed
 * to the session's owner, and stops working when the session ends. Thread-safe.
 */
public final class PortLinks {
    /** Ports a link may forward to: unprivileged ones. */
    public static final int MIN_PORT = 1024;

    public static final int MAX_PORT = 65535;

    /** The port of a getLink without one (the first port of AGB's own range). */
    public static final int DEFAULT_PORT = 30100;

    /** What a verified token names. */
    public record Target(String sessionId, int port) {}

    private final byte[] key;

    public PortLinks(byte[] key) {
        this.key = Hmac.key(key, "port link");
    }

    /** The token for {@code port} of {@code sessionId}. */
    public String token(String sessionId, int port) {
        return sessionId + "." + port + "." + mac(sessionId, port);
    }

    /** The session and port a token names, if its signature is right. */
    public Optional<Target> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Hmac.same(mac(parts[0], port), parts[2]) ? Optional.of(new Target(parts[0], port)) : Optional.empty();
    }

    private String mac(String sessionId, int port) {
        return Hmac.of(key, "port\0" + sessionId + "\0" + port);
    }
}
