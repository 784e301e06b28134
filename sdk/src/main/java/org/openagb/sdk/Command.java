package org.openagb.sdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.Parsers;

/** Runs shell commands in a session through the {@code shell} tool. Thread-safe. */
public final class Command {
    /** The official SDK's default command timeout. */
    public static final int DEFAULT_TIMEOUT_MS = 1000;

    private final ApiClient client;
    private final String sessionId;

    Command(ApiClient client, String sessionId) {
        this.client = client;
        this.sessionId = sessionId;
    }

    /** Runs {@code command} with the default timeout of 1000 ms. */
    public CommandResult execute(String command) {
        return execute(command, DEFAULT_TIMEOUT_MS, null, null);
    }

    /**
     * Runs {@code command}, killing it after {@code timeoutMs} (then exit code 124). The HTTP request waits at least
     * that long (plus a margin), even when the client's timeout is shorter.
     */
    public CommandResult execute(String command, int timeoutMs) {
        return execute(command, timeoutMs, null, null);
    }

    /**
     * Runs {@code command} in {@code cwd} with extra environment variables {@code envs}; both apply to this command only
     * and may be {@code null}. Success means exit code 0; stdout, stderr and the exit code are parsed either way.
     *
     * @throws IllegalArgumentException if {@code command} is blank or {@code timeoutMs} is not positive
     */
    public CommandResult execute(String command, int timeoutMs, String cwd, Map<String, String> envs) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException(
                    "Cannot execute command '" + command + "': it is blank (give a shell command such as 'ls')");
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("Cannot execute command '" + command + "' with timeout '" + timeoutMs
                    + "' ms: it must be positive (use e.g. " + DEFAULT_TIMEOUT_MS + ")");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("command", command);
        args.put("timeout_ms", timeoutMs);
        if (cwd != null && !cwd.isEmpty()) {
            args.put("cwd", cwd);
        }
        if (envs != null && !envs.isEmpty()) {
            args.put("envs", envs);
        }
        return Parsers.shell(client.callTool(sessionId, "shell", args, Duration.ofMillis(timeoutMs)));
    }
}
