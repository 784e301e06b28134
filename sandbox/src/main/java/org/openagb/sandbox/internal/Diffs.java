package org.openagb.sandbox.internal;

import java.util.List;

/** A small unified diff: one hunk spanning the changed lines (enough for an edit summary). */
final class Diffs {
    private Diffs() {}

    static String unified(String path, String before, String after) {
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(path).append("\n+++ ").append(path).append('\n');
        if (before.equals(after)) {
            return out.toString();
        }
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix
                && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int context = 3;
        int start = Math.max(0, prefix - context);
        int endA = Math.min(a.size(), a.size() - suffix + context);
        int endB = Math.min(b.size(), b.size() - suffix + context);
        out.append("@@ -")
                .append(start + 1)
                .append(',')
                .append(endA - start)
                .append(" +")
                .append(start + 1)
                .append(',')
                .append(endB - start)
                .append(" @@\n");
        for (int i = start; i < prefix; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < a.size() - suffix; i++) {
            out.append('-').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < b.size() - suffix; i++) {
            out.append('+').append(b.get(i)).append('\n');
        }
        for (int i = a.size() - suffix; i < endA; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        return out.toString();
    }
}
