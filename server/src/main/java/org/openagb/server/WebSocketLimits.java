package org.openagb.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the WebSocket endpoint ({@code wsUrl}, docs/websocket.md), per connection unless said otherwise. A
 * connection that passes one is closed with a close code and a reason naming the limit; the server and the other
 * connections carry on.
 *
 * @param maxMessageBytes largest text message a client may send (a {@code run_code} call with its code); larger ones
 *     close the connection with 1009; default 4 MiB
 * @param idleTimeout a connection with no frame either way for this long is closed (1001); the SDKs' heartbeats
 *     (every 20 s) and the server's pings while a cell runs keep a live connection open; default 2 min
 * @param maxBufferedBytes output waiting to be sent to a client that reads too slowly; more closes the connection
 *     (1008) and cancels its runs; default 16 MiB
 * @param maxRunsPerConnection cells one connection may have running or queued at once; more are refused with an
 *     error frame; default 4
 * @param maxConnectionsPerSession open connections of one session; more are refused at the upgrade (HTTP 429);
 *     default 8
 * @param maxMessagesPerSecond messages a client may send in one second; more close the connection (1008); default
 *     100
 * @param maxRunningCells cells running through WebSockets on this server at once, all sessions together; more are
 *     refused with an error frame; default 128
 */
public record WebSocketLimits(
        long maxMessageBytes,
        Duration idleTimeout,
        long maxBufferedBytes,
        int maxRunsPerConnection,
        int maxConnectionsPerSession,
        int maxMessagesPerSecond,
        int maxRunningCells) {
    public WebSocketLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes (" + maxMessageBytes + ") must be >= 1024");
        }
        if (idleTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("idleTimeout (" + idleTimeout + ") must be >= 100 ms");
        }
        if (maxBufferedBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxBufferedBytes (" + maxBufferedBytes + ") must be >= 64 KiB");
        }
        if (maxRunsPerConnection < 1
                || maxConnectionsPerSession < 1
                || maxMessagesPerSecond < 1
                || maxRunningCells < 1) {
            throw new IllegalArgumentException("maxRunsPerConnection (" + maxRunsPerConnection
                    + "), maxConnectionsPerSession (" + maxConnectionsPerSession + "), maxMessagesPerSecond ("
                    + maxMessagesPerSecond + ") and maxRunningCells (" + maxRunningCells + ") must be >= 1");
        }
    }

    public static WebSocketLimits defaults() {
        return new WebSocketLimits(4L << 20, Duration.ofMinutes(2), 16L << 20, 4, 8, 100, 128);
    }

    public WebSocketLimits withIdleTimeout(Duration timeout) {
        return new WebSocketLimits(
                maxMessageBytes,
                timeout,
                maxBufferedBytes,
                maxRunsPerConnection,
                maxConnectionsPerSession,
                maxMessagesPerSecond,
                maxRunningCells);
    }

    public WebSocketLimits withMaxMessagesPerSecond(int max) {
        return new WebSocketLimits(
                maxMessageBytes,
                idleTimeout,
                maxBufferedBytes,
                maxRunsPerConnection,
                maxConnectionsPerSession,
                max,
                maxRunningCells);
    }

    public WebSocketLimits withMaxBufferedBytes(long max) {
        return new WebSocketLimits(
                maxMessageBytes,
                idleTimeout,
                max,
                maxRunsPerConnection,
                maxConnectionsPerSession,
                maxMessagesPerSecond,
                maxRunningCells);
    }

    public WebSocketLimits withMaxConnectionsPerSession(int max) {
        return new WebSocketLimits(
                maxMessageBytes,
                idleTimeout,
                maxBufferedBytes,
                maxRunsPerConnection,
                max,
                maxMessagesPerSecond,
                maxRunningCells);
    }
}
