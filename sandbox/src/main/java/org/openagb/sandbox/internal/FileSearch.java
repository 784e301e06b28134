package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * {@code search_files} (WIRE.md §9.10): a glob on the entry name, or on the path relative to the searched directory
 * when the pattern has a {@code /}; a pattern without glob characters is a case-insensitive substring of the name.
 * Exclude globs remove matches and prune excluded directories. Never follows symlinks.
 */
final class FileSearch {
    private static final int MAX_RESULTS = 10_000;

    private FileSearch() {}

    static List<String> search(Path hostDir, String sessionDir, String pattern, List<String> excludes)
            throws IOException {
        Predicate<Path> include = matcher(pattern, true);
        List<Predicate<Path>> exclude = new ArrayList<>();
        for (String e : excludes) {
            exclude.add(matcher(e, false));
        }
        List<String> out = new ArrayList<>();
        String prefix = sessionDir.equals("/") ? "" : sessionDir;
        java.nio.file.Files.walkFileTree(hostDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(hostDir)) {
                    return FileVisitResult.CONTINUE;
                }
                Path rel = hostDir.relativize(dir);
                if (exclude.stream().anyMatch(p -> p.test(rel))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                consider(rel);
                return out.size() >= MAX_RESULTS ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Path rel = hostDir.relativize(file);
                if (exclude.stream().noneMatch(p -> p.test(rel))) {
                    consider(rel);
                }
                return out.size() >= MAX_RESULTS ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }

            private void consider(Path rel) {
                if (include.test(rel)) {
                    out.add(prefix + "/" + rel.toString());
                }
            }
        });
        Collections.sort(out);
        return out;
    }

    private static boolean hasGlob(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /**
     * A predicate on a path relative to the searched directory. Include patterns without glob characters are
     * substrings of the name; exclude patterns always are globs (a plain word matches that exact name).
     */
    static Predicate<Path> matcher(String pattern, boolean substringIfPlain) {
        if (substringIfPlain && !hasGlob(pattern) && !pattern.contains("/")) {
            String needle = pattern.toLowerCase(Locale.ROOT);
            return rel -> rel.getFileName().toString().toLowerCase(Locale.ROOT).contains(needle);
        }
        String glob = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        PathMatcher full;
        PathMatcher withoutLeadingGlobstar;
        try {
            full = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            withoutLeadingGlobstar = glob.startsWith("**/")
                    ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3))
                    : null;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + pattern + "': " + e.getDescription(), e);
        }
        if (!glob.contains("/")) {
            return rel -> full.matches(rel.getFileName());
        }
        return rel -> full.matches(rel) || (withoutLeadingGlobstar != null && withoutLeadingGlobstar.matches(rel));
    }
}
