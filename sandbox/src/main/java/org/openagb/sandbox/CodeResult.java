package org.openagb.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code run_code} cell produced, in the shape of the wire's "new format" (WIRE.md §5.3).
 *
 * @param results mime bundles in output order: {@code mime type → value} (a string, or a JSON-like {@code Map} /
 *     {@code List} for {@code application/json} and Vega-Lite) plus {@code isMainResult}; the execute result (value
 *     of the last expression) has {@code isMainResult=true}, each display output {@code false}
 * @param stdout the cell's standard output as chunks (one per line, the last one possibly without newline)
 * @param stderr the cell's standard error as chunks (tracebacks go here)
 * @param executionError {@code "<Type>: <message>"} if the cell raised (or timed out); empty on success
 * @param executionCount the number of this cell in its kernel, from 1; a restarted kernel counts from 1 again
 * @param executionTimeSeconds how long the cell ran
 */
public record CodeResult(
        List<Map<String, Object>> results,
        List<String> stdout,
        List<String> stderr,
        String executionError,
        int executionCount,
        double executionTimeSeconds) {
    public CodeResult {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> bundle : results) {
            copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(bundle)));
        }
        results = Collections.unmodifiableList(copy);
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
        executionError = Objects.requireNonNullElse(executionError, "");
    }

    /** Whether the cell ran without error. */
    public boolean succeeded() {
        return executionError.isEmpty();
    }

    /** The wire JSON object (as maps and lists, in wire key order). */
    public Map<String, Object> toWire() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", results);
        out.put("stdout", stdout);
        out.put("stderr", stderr);
        out.put("executionError", executionError);
        out.put("execution_count", executionCount);
        out.put("execution_time", executionTimeSeconds);
        return out;
    }
}
