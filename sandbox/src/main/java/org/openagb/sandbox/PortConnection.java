package org.openagb.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A TCP connection to a port on the session's loopback, made from inside the session (its network namespace, its
 * uid, its seccomp filter) by a relay process: what is written to {@link #output()} reaches the port, what the port
 * sends arrives on {@link #input()}. Close it when done; it kills the relay.
 */
public final class PortConnection implements AutoCloseable {
    private final Process relay;
    private final int port;

    public PortConnection(Process relay, int port) {
        this.relay = relay;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** What the port sends. */
    public InputStream input() {
        return relay.getInputStream();
    }

    /** To the port; closing it half-closes the connection (the port sees end of input). */
    public OutputStream output() {
        return relay.getOutputStream();
    }

    /**
     * Why the connection ended early, if the relay said so (for example nothing listens on the port); empty if it
     * is still running or said nothing. Waits briefly for the relay to exit.
     */
    public String failure() {
        try {
            if (!relay.waitFor(2, TimeUnit.SECONDS)) {
                return "";
            }
            byte[] err = relay.getErrorStream().readNBytes(4096);
            return new String(err, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        relay.destroyForcibly();
        try {
            relay.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
