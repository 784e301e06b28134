package org.openagb.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Shared validation helpers; package-private so they stay out of the public surface. */
final class Checks {
    static final String WILDCARDS = "wildcards (* ? [ ]) are not supported";

    private Checks() {}

    static boolean hasWildcard(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']') {
                return true;
            }
        }
        return false;
    }

    /** The part of {@code path} before its first wildcard, without a trailing slash: a plausible exact path. */
    static String exactPrefix(String path, String fallback) {
        int end = 0;
        while (end < path.length() && !hasWildcard(path.substring(end, end + 1))) {
            end++;
        }
        String prefix = path.substring(0, end);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix.isEmpty() ? fallback : prefix;
    }

    /** Copies {@code values} (null meaning {@code whenNull}), rejecting null elements with a clear message. */
    static List<String> copyPaths(List<String> values, List<String> whenNull, String what) {
        if (values == null) {
            return whenNull;
        }
        List<String> copy = new ArrayList<>(values.size());
        for (String value : values) {
            if (value == null) {
                throw new PolicyException(
                        "Cannot use " + what + " 'null': paths must not be null (use \"\" or a path)");
            }
            copy.add(value);
        }
        return List.copyOf(copy);
    }

    /** Parses a wire enum string, failing with a message that lists every valid value. */
    static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String value, Function<E, String> wire) {
        for (E constant : type.getEnumConstants()) {
            if (wire.apply(constant).equals(value)) {
                return constant;
            }
        }
        String valid = Arrays.stream(type.getEnumConstants()).map(wire).collect(Collectors.joining(", "));
        throw new PolicyException("Cannot parse " + key + " '" + value + "': unknown value (use one of " + valid + ")");
    }
}
