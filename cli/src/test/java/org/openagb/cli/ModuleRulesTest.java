package org.openagb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build checks the house rules on every module's main sources: an {@code …internal} package is used only by its
 * own module, and the environment is read ({@code System.getenv}) only by the CLI's {@code Environment} and the SDK's
 * settings seam. Runs from the {@code cli} module, which sits next to all the others.
 */
class ModuleRulesTest {
    /** Maven module directory → the package it owns. */
    private static final Map<String, String> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("model", "org.openagb.model");
        MODULES.put("storage", "org.openagb.storage");
        MODULES.put("storage-s3", "org.openagb.storage.s3");
        MODULES.put("sync", "org.openagb.sync");
        MODULES.put("sandbox", "org.openagb.sandbox");
        MODULES.put("server", "org.openagb.server");
        MODULES.put("sdk", "org.openagb.sdk");
        MODULES.put("cli", "org.openagb.cli");
    }

    private static final Pattern INTERNAL_USE = Pattern.compile("(org\\.openagb(?:\\.[a-z0-9]+)+)\\.internal\\b");

    private static Path repo() {
        Path here = Path.of("").toAbsolutePath();
        Path root = here.getFileName().toString().equals("cli") ? here.getParent() : here;
        assertThat(root.resolve("pom.xml"))
                .as("run from the repository or the cli module")
                .exists();
        return root;
    }

    private static List<Path> mainSources(String module) throws IOException {
        Path dir = repo().resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void internalPackages_areUsedOnlyByTheirOwnModule() throws IOException {
        List<String> violations = new ArrayList<>();
        for (var module : MODULES.entrySet()) {
            for (Path file : mainSources(module.getKey())) {
                Matcher m = INTERNAL_USE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    String owner = m.group(1);
                    if (!owner.equals(module.getValue())) {
                        violations.add(repo().relativize(file) + " uses " + owner + ".internal");
                    }
                }
            }
        }
        assertThat(violations)
                .as("…internal packages are private to their module (move what others need to the public API or an"
                        + " spi package)")
                .isEmpty();
    }

    @Test
    void environmentVariables_areReadOnlyThroughTheSettingsSeams() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String module : MODULES.keySet()) {
            for (Path file : mainSources(module)) {
                String name = file.getFileName().toString();
                if (name.equals("Environment.java") && module.equals("cli")) {
                    continue; // the CLI's one seam
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.contains("System.getenv")
                            && !line.startsWith("*")
                            && !line.startsWith("//")
                            && !line.startsWith("/**")) {
                        violations.add(repo().relativize(file) + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(violations)
                .as("read the environment through cli/Environment (or AGB.Builder.env in the SDK), not System.getenv")
                .isEmpty();
    }

    private static final Pattern IMPORT =
            Pattern.compile("^import (org\\.openagb(?:\\.[a-z0-9]+)+)\\.[A-Z]", Pattern.MULTILINE);

    /**
     * The server's feature packages ({@code server.internal.*}) form no cycle. (A module's public package and its
     * own {@code internal} depend on each other by design, as in OkHttp; those are not counted.)
     */
    @Test
    void serverFeaturePackages_haveNoCycles() throws IOException {
        for (var module : Map.of("server", "org.openagb.server.internal.").entrySet()) {
            Map<String, java.util.Set<String>> uses = new java.util.TreeMap<>();
            for (Path file : mainSources(module.getKey())) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher pkg = Pattern.compile("^package ([a-z0-9.]+);", Pattern.MULTILINE)
                        .matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                String from = pkg.group(1);
                if (!from.startsWith(module.getValue())) {
                    continue;
                }
                java.util.Set<String> to = uses.computeIfAbsent(from, k -> new java.util.TreeSet<>());
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    if (!m.group(1).equals(from) && m.group(1).startsWith(module.getValue())) {
                        to.add(m.group(1));
                    }
                }
            }
            assertThat(stronglyConnected(uses))
                    .as("cycles among the packages of module " + module.getKey() + " (break one by moving the shared"
                            + " piece down, or by an interface the lower package owns and the upper implements)")
                    .isEmpty();
        }
    }

    /** Components of more than one package (Tarjan). */
    private static List<java.util.Set<String>> stronglyConnected(Map<String, java.util.Set<String>> graph) {
        List<java.util.Set<String>> out = new ArrayList<>();
        Map<String, Integer> index = new java.util.HashMap<>();
        Map<String, Integer> low = new java.util.HashMap<>();
        java.util.Deque<String> stack = new java.util.ArrayDeque<>();
        java.util.Set<String> onStack = new java.util.HashSet<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, counter, out);
            }
        }
        return out;
    }

    private static void connect(
            String v,
            Map<String, java.util.Set<String>> graph,
            Map<String, Integer> index,
            Map<String, Integer> low,
            java.util.Deque<String> stack,
            java.util.Set<String> onStack,
            int[] counter,
            List<java.util.Set<String>> out) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, java.util.Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, counter, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            java.util.Set<String> component = new java.util.TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
