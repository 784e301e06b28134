package org.openagb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints a command's result: aligned tables and plain lines for people, or (with {@code --json}) exactly one JSON
 * document for scripts. Messages and progress go to stderr, so stdout stays parseable.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    Output(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Prints {@code value} as JSON in JSON mode, otherwise {@code human}. */
    void print(Object value, Runnable human) {
        if (json) {
            printJson(value);
        } else {
            human.run();
        }
    }

    /** Prints {@code value} as JSON in JSON mode, otherwise {@code line}. */
    void print(Object value, String line) {
        print(value, () -> out.println(line));
    }

    void printJson(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(
                    "Cannot write JSON of " + value.getClass().getSimpleName(), e);
        }
        out.flush();
    }

    /** {@code key: value} lines with the values aligned. */
    void fields(Map<String, ?> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        fields.forEach((key, value) -> out.println(pad(key + ":", width) + " " + value));
    }

    /** A table: the header, then one line per row, columns padded to their widest cell; the last is not padded. */
    void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == widths.length - 1 ? cell(row, i) : pad(cell(row, i), widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(List<String> row, int i) {
        String value = i < row.size() ? row.get(i) : "";
        return value == null ? "" : value;
    }

    private static String pad(String value, int width) {
        return value.length() >= width ? value : value + " ".repeat(width - value.length());
    }
}
