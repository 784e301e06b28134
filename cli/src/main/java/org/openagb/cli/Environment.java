package org.openagb.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the CLI reads from the world outside its arguments: environment variables, the home directory (for the config
 * file) and whether it runs in a terminal. Tests pass their own instead of mutating the process.
 *
 * @param env looks up an environment variable; returns {@code null} when unset
 * @param home the user's home directory
 * @param terminal whether the user watches a terminal (progress bars are drawn only then)
 * @param progressDelay how long a transfer runs before its progress bar appears
 */
record Environment(Function<String, String> env, Path home, boolean terminal, Duration progressDelay) {
    /** A progress bar for transfers that end within this time would only flicker. */
    static final Duration DEFAULT_PROGRESS_DELAY = Duration.ofMillis(500);

    Environment {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(progressDelay, "progressDelay");
    }

    /** The real process: {@code System.getenv}, {@code user.home}, and a terminal when {@link System#console()} is. */
    static Environment system() {
        return new Environment(
                System::getenv, Path.of(System.getProperty("user.home")), isTerminal(), DEFAULT_PROGRESS_DELAY);
    }

    /** The variable {@code name}, or {@code null} when it is unset or blank. */
    String variable(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Since Java 22 System.console() also exists when redirected; isTerminal() then tells the truth.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
