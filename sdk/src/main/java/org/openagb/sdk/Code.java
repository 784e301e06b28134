package org.openagb.sdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.Parsers;

/**
 * Runs code in a session through the {@code run_code} tool (WIRE.md §5.3). Each language has one kernel per session
 * that keeps its state between runs, like a Jupyter notebook: {@code run("x = 41", "python")} then
 * {@code run("x + 1", "python")} has the main result {@code 42}. Thread-safe; runs of one kernel are serialised by the
 * server.
 */
public final class Code {
    /** The official SDK's default timeout of a run, in seconds. */
    public static final int DEFAULT_TIMEOUT_S = 60;

    /** The languages the server runs (after alias resolution). */
    public static final List<String> LANGUAGES = List.of("python", "javascript", "java", "r");

    private static final Map<String, String> ALIASES = Map.of(
            "py", "python",
            "python3", "python",
            "js", "javascript",
            "node", "javascript",
            "nodejs", "javascript");

    private final ApiClient client;
    private final String sessionId;

    Code(ApiClient client, String sessionId) {
        this.client = client;
        this.sessionId = sessionId;
    }

    /** Runs {@code code} with the default timeout of {@value #DEFAULT_TIMEOUT_S} s. */
    public CodeRunResult run(String code, String language) {
        return run(code, language, DEFAULT_TIMEOUT_S);
    }

    /**
     * Runs {@code code} in the kernel of {@code language} for at most {@code timeoutS} seconds. The HTTP request waits
     * that long plus a margin, even when the client's timeout is shorter.
     *
     * @param language {@code python}, {@code javascript}, {@code java} or {@code r}, in any case; also {@code py},
     *     {@code python3}, {@code js}, {@code node} and {@code nodejs}
     * @throws IllegalArgumentException if {@code code} is null, the language is not supported, or {@code timeoutS} is
     *     not positive
     */
    public CodeRunResult run(String code, String language, int timeoutS) {
        if (code == null) {
            throw new IllegalArgumentException(
                    "Cannot run code 'null': there is no code (pass the source text, such as \"print(1)\")");
        }
        String canonical = language(language);
        if (timeoutS <= 0) {
            throw new IllegalArgumentException("Cannot run code with timeout '" + timeoutS
                    + "' s: it must be positive (use e.g. " + DEFAULT_TIMEOUT_S + ")");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("code", code);
        args.put("language", canonical);
        args.put("timeout_s", timeoutS);
        return Parsers.codeRun(client.callTool(sessionId, "run_code", args, Duration.ofSeconds(timeoutS)));
    }

    /**
     * The wire name of {@code language}: lower-cased, aliases resolved.
     *
     * @throws IllegalArgumentException if it is not one of {@link #LANGUAGES} or their aliases
     */
    static String language(String language) {
        String lower = language == null ? "" : language.strip().toLowerCase(Locale.ROOT);
        String canonical = ALIASES.getOrDefault(lower, lower);
        if (!LANGUAGES.contains(canonical)) {
            throw new IllegalArgumentException("Cannot run code in language '" + language
                    + "': it is not supported (use one of " + String.join(", ", LANGUAGES)
                    + "; aliases py, python3, js, node, nodejs)");
        }
        return canonical;
    }
}
