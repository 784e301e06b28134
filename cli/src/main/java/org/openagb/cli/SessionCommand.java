package org.openagb.cli;

import static org.openagb.cli.ClientOptions.check;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openagb.model.ContextSync;
import org.openagb.model.SyncPolicy;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextStatus;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionListResult;
import org.openagb.sdk.SessionResult;
import org.openagb.sdk.SessionSummary;
import org.openagb.sdk.SyncMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code openagb session …}: sandboxed sessions, the commands and code run in them, and their sync. */
@Command(
        name = "session",
        mixinStandardHelpOptions = true,
        description = "Create, use, sync and delete sessions (sandboxes that mount contexts).",
        subcommands = {
            SessionCommand.Create.class,
            SessionCommand.ListSessions.class,
            SessionCommand.Info.class,
            SessionExec.class,
            SessionRunCode.class,
            SessionCommand.Sync.class,
            SessionCommand.Status.class,
            SessionCommand.Remove.class
        })
final class SessionCommand {
    /** Page size of the first ListSession call; a second call fetches the rest in one page. */
    private static final int LIST_PAGE = 100;

    private static final ObjectMapper POLICY_READER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Mixin
    ClientOptions client;

    /** Base of the subcommands: their parent holds the client options. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        SessionCommand parent;

        AGB agb() {
            return parent.client.agb();
        }

        Output out() {
            return parent.client.output();
        }

        /** The live session {@code id}; exit 1 if the server does not know it. */
        Session session(String id) {
            SessionResult found = agb().get(id);
            if (!found.success()) {
                throw CliException.failed(found.errorMessage());
            }
            return found.session();
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a session and print its id.",
            footer = {
                "",
                "Example:",
                "  openagb session create --context demo:/home/project --label team=ml --idle-timeout 600"
            })
    static final class Create extends Sub {
        @Option(names = "--image", paramLabel = "IMAGE", description = "Sandbox image (default ${DEFAULT-VALUE})")
        String image = CreateSessionParams.DEFAULT_IMAGE_ID;

        @Option(
                names = "--context",
                paramLabel = "NAME:PATH[:POLICY_FILE]",
                description = "Mount context NAME (created if missing) at the absolute PATH, with the SyncPolicy JSON"
                        + " of POLICY_FILE (default: the SDK default policy: download at create, upload at delete)."
                        + " Repeatable.")
        List<String> contexts = new ArrayList<>();

        @Option(
                names = "--context-version",
                paramLabel = "NAME:GEN:PATH[:POLICY_FILE]",
                description = "Mount version GEN of the existing context NAME read-only at PATH: it is downloaded and"
                        + " never uploaded ('context versions ID' lists the generations). Repeatable.")
        List<String> versions = new ArrayList<>();

        @Option(
                names = "--label",
                paramLabel = "KEY=VALUE",
                description = "Label the session (repeatable); 'session ls --label' filters on labels")
        Map<String, String> labels = new LinkedHashMap<>();

        @Option(
                names = "--idle-timeout",
                paramLabel = "SECONDS",
                description = "Release the session after this long without activity (default: the server's, 300)")
        Long idleTimeout;

        @Override
        public Integer call() {
            if (idleTimeout != null && idleTimeout <= 0) {
                throw CliException.usage("Cannot use --idle-timeout '" + idleTimeout
                        + "': it must be a positive number of seconds (such as 600)");
            }
            List<Mount> mounts =
                    new ArrayList<>(contexts.stream().map(Mount::parse).toList());
            versions.stream().map(Mount::parseVersion).forEach(mounts::add);
            List<ContextSync> syncs = new ArrayList<>();
            List<Map<String, Object>> mounted = new ArrayList<>();
            for (Mount mount : mounts) {
                SyncPolicy policy = mount.policyFile() == null ? SyncPolicy.defaults() : readPolicy(mount.policyFile());
                Context context = mount.version() == null
                        ? check(agb().context().create(mount.name()), "create context '" + mount.name() + "'")
                                .context()
                        : check(agb().context().get(mount.name()), "get context '" + mount.name() + "'")
                                .context();
                ContextSync sync = ContextSync.create(context.id(), mount.path(), policy);
                syncs.add(mount.version() == null ? sync : sync.withVersion(mount.version()));
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", context.name());
                json.put("contextId", context.id());
                json.put("path", mount.path());
                if (mount.version() != null) {
                    json.put("version", mount.version());
                }
                mounted.add(json);
            }
            CreateSessionParams params = CreateSessionParams.builder()
                    .imageId(image)
                    .contextSyncs(syncs)
                    .labels(labels)
                    .idleTimeout(idleTimeout == null ? null : Duration.ofSeconds(idleTimeout))
                    .build();
            Session session = check(agb().create(params), "create session").session();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sessionId", session.id());
            json.put("imageId", image);
            json.put("contexts", mounted);
            json.put("labels", labels);
            out().print(json, session.id());
            return 0;
        }
    }

    /** One {@code --context NAME:PATH[:POLICY_FILE]}, or {@code --context-version NAME:GEN:PATH[:POLICY_FILE]}. */
    record Mount(String name, String path, Path policyFile, Long version) {
        static Mount parseVersion(String spec) {
            String[] parts = spec.split(":", 3);
            long generation = -1;
            if (parts.length == 3) {
                try {
                    generation = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    generation = -1;
                }
            }
            if (generation < 1) {
                throw CliException.usage("Cannot mount '" + spec + "': expected NAME:GEN:PATH[:POLICY_FILE] with a"
                        + " generation GEN >= 1 (such as demo:3:/home/project; 'openagb context versions ID' lists"
                        + " them)");
            }
            Mount m = parse(parts[0] + ":" + parts[2]);
            return new Mount(m.name(), m.path(), m.policyFile(), generation);
        }

        static Mount parse(String spec) {
            int colon = spec.indexOf(':');
            String name = colon < 0 ? "" : spec.substring(0, colon);
            String rest = colon < 0 ? "" : spec.substring(colon + 1);
            int second = rest.indexOf(':');
            String path = second < 0 ? rest : rest.substring(0, second);
            String policy = second < 0 ? null : rest.substring(second + 1);
            if (name.isBlank() || !path.startsWith("/") || (policy != null && policy.isBlank())) {
                throw CliException.usage("Cannot mount '" + spec
                        + "': expected NAME:PATH[:POLICY_FILE] with an absolute PATH (such as demo:/home/project"
                        + " or demo:/home/project:policy.json)");
            }
            return new Mount(name, path, policy == null ? null : Path.of(policy), null);
        }
    }

    static SyncPolicy readPolicy(Path file) {
        try {
            return POLICY_READER.readValue(Files.readString(file, StandardCharsets.UTF_8), SyncPolicy.class);
        } catch (IOException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String reason = cause instanceof IllegalArgumentException
                    ? cause.getMessage()
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                            ? json.getOriginalMessage()
                            : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw CliException.usage("Cannot read policy file '" + file + "': " + reason
                    + " (it holds SyncPolicy JSON such as {\"uploadPolicy\":{\"autoUpload\":true}})");
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the live sessions of the account.")
    static final class ListSessions extends Sub {
        @Option(
                names = "--label",
                paramLabel = "KEY=VALUE",
                description = "Only sessions with this label (repeatable: all must match)")
        Map<String, String> labels = new LinkedHashMap<>();

        @Override
        public Integer call() {
            SessionListResult first = check(agb().list(labels, 1, LIST_PAGE), "list sessions");
            List<SessionSummary> sessions = first.sessions();
            if (!first.nextToken().isEmpty() && first.totalCount() > sessions.size()) {
                sessions = check(agb().list(labels, 1, first.totalCount()), "list sessions")
                        .sessions();
            }
            List<SessionSummary> all = sessions;
            Output out = out();
            List<Map<String, Object>> json = new ArrayList<>();
            for (SessionSummary s : all) {
                json.add(Map.of("sessionId", s.sessionId(), "status", s.status()));
            }
            out.print(json, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (SessionSummary s : all) {
                    rows.add(List.of(s.sessionId(), s.status()));
                }
                out.table(List.of("SESSION ID", "STATUS"), rows);
            });
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show session ID: status, image, labels.")
    static final class Info extends Sub {
        @Parameters(paramLabel = "ID", description = "Session id")
        String id;

        @Override
        public Integer call() {
            Session session = session(id);
            String status = check(session.status(), "get status of session '" + id + "'")
                    .status();
            Map<String, String> labels = check(session.labels(), "get labels of session '" + id + "'")
                    .labels();
            List<ContextStatus> tasks = check(session.context().info(), "get sync tasks of session '" + id + "'")
                    .statuses();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sessionId", session.id());
            json.put("status", status);
            json.put("imageId", session.imageId());
            json.put("resourceUrl", session.resourceUrl());
            json.put("labels", labels);
            json.put("syncTasks", tasks);
            Output out = out();
            out.print(json, () -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("id", session.id());
                fields.put("status", status);
                fields.put("image", session.imageId());
                fields.put("resource", session.resourceUrl());
                fields.put("labels", labels.isEmpty() ? "-" : joinLabels(labels));
                fields.put("sync tasks", tasks.size() + " ('openagb session status " + id + "' lists them)");
                out.fields(fields);
            });
            return 0;
        }
    }

    static String joinLabels(Map<String, String> labels) {
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    @Command(
            name = "sync",
            mixinStandardHelpOptions = true,
            description = {
                "Upload the session's auto-upload mounts to their contexts (or, with --context and --path, that",
                "directory to that context), and wait until the tasks finish. --download copies the other way."
            })
    static final class Sync extends Sub {
        @Parameters(paramLabel = "ID", description = "Session id")
        String id;

        @Option(names = "--context", paramLabel = "CONTEXT_ID", description = "Context id (with --path)")
        String contextId;

        @Option(names = "--path", paramLabel = "P", description = "Absolute directory in the session (with --context)")
        String path;

        @Option(names = "--download", description = "Context → session instead of session → context")
        boolean download;

        @Override
        public Integer call() {
            if ((contextId == null) != (path == null)) {
                throw CliException.usage("Cannot sync session '" + id
                        + "': --context and --path go together (give both, or neither" + " to sync every mount)");
            }
            SyncMode mode = download ? SyncMode.DOWNLOAD : SyncMode.UPLOAD;
            Session session = session(id);
            check(session.context().sync(contextId, path, mode), "sync session '" + id + "'");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sessionId", id);
            json.put("mode", mode.wireName());
            json.put("contextId", contextId);
            json.put("path", path);
            json.put("success", true);
            String what = contextId == null ? "every mount" : path + " with context " + contextId;
            out().print(json, "Synced session " + id + " (" + mode.wireName() + ", " + what + ")");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "List the sync tasks of session ID.")
    static final class Status extends Sub {
        @Parameters(paramLabel = "ID", description = "Session id")
        String id;

        @Override
        public Integer call() {
            List<ContextStatus> tasks = check(session(id).context().info(), "get sync tasks of session '" + id + "'")
                    .statuses();
            Output out = out();
            out.print(tasks, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (ContextStatus t : tasks) {
                    rows.add(List.of(
                            t.contextId(),
                            t.path(),
                            t.taskType(),
                            t.status(),
                            time(t.startTime()),
                            time(t.finishTime()),
                            t.errorMessage()));
                }
                out.table(List.of("CONTEXT", "PATH", "TASK", "STATUS", "STARTED", "FINISHED", "ERROR"), rows);
            });
            return 0;
        }

        private static String time(long epochMillis) {
            return epochMillis <= 0
                    ? "-"
                    : java.time.Instant.ofEpochMilli(epochMillis).toString();
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Release session ID (mounts with autoUpload are uploaded first), and wait until it is gone.")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "ID", description = "Session id")
        String id;

        @Option(
                names = "--sync",
                description = "Sync every mount first and wait for it (like the SDK's delete(session, true))")
        boolean sync;

        @Override
        public Integer call() {
            check(agb().delete(session(id), sync), "delete session '" + id + "'");
            out().print(Map.of("sessionId", id, "deleted", true), "Deleted session " + id);
            return 0;
        }
    }
}
