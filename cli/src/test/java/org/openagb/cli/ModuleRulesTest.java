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
}
