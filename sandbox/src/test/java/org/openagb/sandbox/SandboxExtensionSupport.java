package org.openagb.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that need real sandboxes. Creating the runtime fails (never skips) when bubblewrap is missing,
 * with a message that says what to install.
 */
abstract class SandboxExtensionSupport {
    static final BubblewrapSandboxRuntime RUNTIME = BubblewrapSandboxRuntime.create();

    @TempDir
    Path temp;

    private final List<Sandbox> started = new ArrayList<>();

    Sandbox start(String sessionId) {
        return start(sessionId, null);
    }

    Sandbox start(String sessionId, Path hidden) {
        Sandbox sandbox = RUNTIME.start(
                new SandboxSpec(sessionId, temp.resolve("sessions").resolve(sessionId), hidden));
        started.add(sandbox);
        return sandbox;
    }

    static CommandResult run(Sandbox sandbox, String command) {
        return sandbox.run(CommandRequest.of(command, Duration.ofSeconds(10)));
    }

    @AfterEach
    void closeSandboxes() {
        started.forEach(Sandbox::close);
    }
}
