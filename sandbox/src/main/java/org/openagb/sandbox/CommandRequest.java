package org.openagb.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A shell command to run in a sandbox.
 *
 * @param command the {@code /bin/sh -c} script
 * @param timeout how long the command may run before its processes are killed
 * @param cwd absolute working directory inside the sandbox; {@code null} (or a relative path) means the default
 *     ({@link SandboxConfig#defaultCwd()}, {@code /home})
 * @param env variables added to the sandbox's base environment for this command only
 * @param outputCapBytes maximum bytes kept of stdout and of stderr each; {@code 0} means the runtime default
 */
public record CommandRequest(
        String command, Duration timeout, String cwd, Map<String, String> env, int outputCapBytes) {
    public CommandRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout (" + timeout + ") must be > 0");
        }
        if (outputCapBytes < 0) {
            throw new IllegalArgumentException("outputCapBytes (" + outputCapBytes + ") must be >= 0");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        for (var e : env.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty()
                    || name.indexOf('=') >= 0
                    || name.indexOf('\0') >= 0
                    || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        "environment variable name '" + name + "' is invalid (no '=' or NUL, not empty)");
            }
        }
    }

    public static CommandRequest of(String command, Duration timeout) {
        return new CommandRequest(command, timeout, null, Map.of(), 0);
    }

    public CommandRequest withCwd(String newCwd) {
        return new CommandRequest(command, timeout, newCwd, env, outputCapBytes);
    }

    public CommandRequest withEnv(Map<String, String> newEnv) {
        return new CommandRequest(command, timeout, cwd, newEnv, outputCapBytes);
    }

    public CommandRequest withOutputCap(int bytes) {
        return new CommandRequest(command, timeout, cwd, env, bytes);
    }
}
