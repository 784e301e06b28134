package org.openagb.cli;

import static org.openagb.cli.ClientOptions.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.sdk.ContextVersion;
import org.openagb.sdk.ContextVersionChange;
import org.openagb.sdk.ContextVersionDiffResult;
import org.openagb.sdk.ContextVersionListResult;
import org.openagb.sdk.ContextVersionRestoreResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code openagb context versions|diff|restore}: a context's kept versions (docs/versions.md). */
final class ContextVersionCommands {
    private ContextVersionCommands() {}

    static Map<String, Object> json(ContextVersion v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("generation", v.generation());
        json.put("committedTime", v.committedTime());
        json.put("fileCount", v.fileCount());
        json.put("totalBytes", v.totalBytes());
        json.put("uploadMode", v.uploadMode());
        json.put("current", v.current());
        return json;
    }

    static Map<String, Object> json(ContextVersionChange c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("change", c.change().name().toLowerCase(java.util.Locale.ROOT));
        json.put("path", c.path());
        json.put("fileType", c.fileType());
        json.put("sizeBefore", c.sizeBefore());
        json.put("sizeAfter", c.sizeAfter());
        return json;
    }

    @Command(
            name = "versions",
            mixinStandardHelpOptions = true,
            description = "List the kept versions (generations) of context ID, newest first; * marks the current one.")
    static final class Versions extends ContextCommand.Sub {
        @Parameters(paramLabel = "ID", description = "Context id")
        String id;

        @Override
        public Integer call() {
            List<ContextVersion> all = new ArrayList<>();
            String token = null;
            do {
                ContextVersionListResult page =
                        check(contexts().listVersions(id, 1000, token), "list versions of context '" + id + "'");
                all.addAll(page.versions());
                String next = page.nextToken();
                token = next.isEmpty() || page.versions().isEmpty() || next.equals(token) ? null : next;
            } while (token != null);
            Output out = out();
            out.print(all.stream().map(ContextVersionCommands::json).toList(), () -> {
                List<List<String>> rows = new ArrayList<>();
                for (ContextVersion v : all) {
                    rows.add(List.of(
                            (v.current() ? "*" : " ") + v.generation(),
                            v.committedTime(),
                            String.valueOf(v.fileCount()),
                            String.valueOf(v.totalBytes())));
                }
                out.table(List.of("GEN", "COMMITTED", "FILES", "BYTES"), rows);
            });
            return 0;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = "Show the paths added (+), removed (-) and changed (~) from version GEN_A to GEN_B of"
                    + " context ID, with sizes.")
    static final class Diff extends ContextCommand.Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Context id")
        String id;

        @Parameters(index = "1", paramLabel = "GEN_A", description = "Generation to compare from")
        long from;

        @Parameters(index = "2", paramLabel = "GEN_B", description = "Generation to compare to")
        long to;

        @Override
        public Integer call() {
            if (from < 1 || to < 1) {
                throw CliException.usage("Cannot diff versions " + from + " and " + to + " of context '" + id
                        + "': generations start at 1 (openagb context versions " + id + " lists them)");
            }
            Output out = out();
            // Page by page: a diff of a huge tree is printed as it arrives, never held whole (except for --json).
            List<Map<String, Object>> json = new ArrayList<>();
            String token = null;
            int count = 0;
            do {
                ContextVersionDiffResult page = check(
                        contexts().diffVersions(id, from, to, 1000, token),
                        "diff versions " + from + " and " + to + " of context '" + id + "'");
                for (ContextVersionChange c : page.changes()) {
                    count++;
                    if (out.json()) {
                        json.add(ContextVersionCommands.json(c));
                    } else {
                        out.out().println(line(c));
                    }
                }
                String next = page.nextToken();
                token = next.isEmpty() || page.changes().isEmpty() || next.equals(token) ? null : next;
            } while (token != null);
            if (out.json()) {
                out.printJson(json);
            } else if (count == 0) {
                System.err.println("Versions " + from + " and " + to + " of context " + id + " hold the same files");
            }
            return 0;
        }

        static String line(ContextVersionChange c) {
            return switch (c.change()) {
                case ADDED -> "+ " + c.path() + " (" + c.sizeAfter() + " B)";
                case REMOVED -> "- " + c.path() + " (" + c.sizeBefore() + " B)";
                case CHANGED -> "~ " + c.path() + " (" + c.sizeBefore() + " B -> " + c.sizeAfter() + " B)";
            };
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = "Make version GEN the current content of context ID again, as a new generation.")
    static final class Restore extends ContextCommand.Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Context id")
        String id;

        @Parameters(index = "1", paramLabel = "GEN", description = "Generation to restore")
        long generation;

        @Override
        public Integer call() {
            if (generation < 1) {
                throw CliException.usage("Cannot restore version " + generation + " of context '" + id
                        + "': generations start at 1 (openagb context versions " + id + " lists them)");
            }
            ContextVersionRestoreResult r = check(
                    contexts().restoreVersion(id, generation),
                    "restore version " + generation + " of context '" + id + "'");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("contextId", id);
            json.put("restoredGeneration", r.restoredGeneration());
            json.put("generation", r.generation());
            json.put("committed", r.committed());
            out().print(
                            json,
                            r.committed()
                                    ? "Restored version " + generation + " of " + id + " as generation "
                                            + r.generation()
                                    : "Version " + generation + " of " + id + " is already the current content"
                                            + " (generation " + r.generation() + "); nothing to restore");
            return 0;
        }
    }
}
