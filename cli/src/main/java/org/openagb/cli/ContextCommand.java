package org.openagb.cli;

import static org.openagb.cli.ClientOptions.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextFileEntry;
import org.openagb.sdk.ContextFileListResult;
import org.openagb.sdk.ContextListParams;
import org.openagb.sdk.ContextListResult;
import org.openagb.sdk.ContextService;
import org.openagb.sdk.FileUrlResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code openagb context …}: the account's contexts and the files in them, through the SDK. */
@Command(
        name = "context",
        mixinStandardHelpOptions = true,
        description = "Manage contexts (persistent storage) and their files.",
        subcommands = {
            ContextCommand.ListContexts.class,
            ContextCommand.Get.class,
            ContextCommand.Create.class,
            ContextCommand.Rename.class,
            ContextCommand.Remove.class,
            ContextCommand.Clear.class,
            ContextCommand.ListFiles.class,
            ContextCommand.Put.class,
            ContextCommand.GetFile.class,
            ContextCommand.RemoveFile.class,
            ContextVersionCommands.Versions.class,
            ContextVersionCommands.Diff.class,
            ContextVersionCommands.Restore.class
        })
final class ContextCommand {
    /** Page size used to walk every page of ListContexts. */
    private static final int LIST_PAGE = 100;

    @Mixin
    ClientOptions client;

    ContextService contexts() {
        return client.agb().context();
    }

    static Map<String, Object> json(Context context) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", context.id());
        json.put("name", context.name());
        json.put("state", context.state());
        json.put("createTime", context.createTime());
        json.put("lastUsedTime", context.lastUsedTime());
        return json;
    }

    /** Base of the subcommands: their parent holds the client options. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        ContextCommand parent;

        ContextService contexts() {
            return parent.contexts();
        }

        Output out() {
            return parent.client.output();
        }

        ProgressBar progress(String label) {
            Environment environment = parent.client.environment();
            return new ProgressBar(label, -1, System.err, environment.terminal(), environment.progressDelay());
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the contexts of the account.")
    static final class ListContexts extends Sub {
        @Override
        public Integer call() {
            List<Context> all = new ArrayList<>();
            String token = null;
            do {
                ContextListResult page =
                        check(contexts().list(new ContextListParams(LIST_PAGE, token)), "list contexts");
                all.addAll(page.contexts());
                String next = page.nextToken();
                // A server that repeats its token (or sends one with an empty page) would loop forever.
                token = next.isEmpty() || page.contexts().isEmpty() || next.equals(token) ? null : next;
            } while (token != null);
            Output out = out();
            out.print(all.stream().map(ContextCommand::json).toList(), () -> {
                List<List<String>> rows = new ArrayList<>();
                for (Context c : all) {
                    rows.add(List.of(c.id(), c.name(), c.state(), c.createTime(), c.lastUsedTime()));
                }
                out.table(List.of("ID", "NAME", "STATE", "CREATED", "LAST USED"), rows);
            });
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show the context named NAME.")
    static final class Get extends Sub {
        @Parameters(paramLabel = "NAME", description = "Context name")
        String name;

        @Override
        public Integer call() {
            Context context =
                    check(contexts().get(name), "get context '" + name + "'").context();
            printContext(out(), context);
            return 0;
        }
    }

    static void printContext(Output out, Context context) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", context.id());
        fields.put("name", context.name());
        fields.put("state", context.state());
        fields.put("created", context.createTime());
        fields.put("last used", context.lastUsedTime());
        out.print(json(context), () -> out.fields(fields));
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create the context NAME (or find it, if it exists) and print its id.")
    static final class Create extends Sub {
        @Parameters(paramLabel = "NAME", description = "Context name, unique in the account")
        String name;

        @Override
        public Integer call() {
            Context context = check(contexts().create(name), "create context '" + name + "'")
                    .context();
            out().print(json(context), context.id());
            return 0;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename context ID to NEW.")
    static final class Rename extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Context id")
        String id;

        @Parameters(index = "1", paramLabel = "NEW", description = "New name")
        String name;

        @Override
        public Integer call() {
            Context context =
                    check(contexts().getById(id), "rename context '" + id + "'").context();
            check(contexts().update(context.withName(name)), "rename context '" + id + "' to '" + name + "'");
            Context renamed = context.withName(name);
            out().print(json(renamed), "Renamed context " + id + " from '" + context.name() + "' to '" + name + "'");
            return 0;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Delete context ID and all its files (refused while a session mounts it).")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "ID", description = "Context id")
        String id;

        @Override
        public Integer call() {
            check(contexts().delete(new Context(id, "", "", "", "")), "delete context '" + id + "'");
            out().print(Map.of("id", id, "deleted", true), "Deleted context " + id);
            return 0;
        }
    }

    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = "Delete every file of context ID, keeping its id and name.")
    static final class Clear extends Sub {
        @Parameters(paramLabel = "ID", description = "Context id")
        String id;

        @Override
        public Integer call() {
            var cleared = check(contexts().clear(id), "clear context '" + id + "'");
            out().print(Map.of("id", id, "state", cleared.state()), "Cleared context " + id);
            return 0;
        }
    }

    @Command(
            name = "files",
            mixinStandardHelpOptions = true,
            description = "List the files and folders directly under a folder of context ID.")
    static final class ListFiles extends Sub {
        @Parameters(paramLabel = "ID", description = "Context id")
        String id;

        @Option(
                names = "--path",
                paramLabel = "P",
                description = "Folder to list, such as /home/project (default: the root)")
        String path;

        @Option(names = "--page", paramLabel = "N", description = "Page, from 1 (default ${DEFAULT-VALUE})")
        int page = 1;

        @Option(names = "--size", paramLabel = "M", description = "Entries per page (default ${DEFAULT-VALUE})")
        int size = ContextService.DEFAULT_FILE_PAGE_SIZE;

        @Override
        public Integer call() {
            String folder = path == null || path.isEmpty() ? "/" : path;
            ContextFileListResult files =
                    check(contexts().listFiles(id, folder, page, size), "list files of context '" + id + "'");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("contextId", id);
            json.put("path", folder);
            json.put("page", page);
            json.put("size", size);
            json.put("count", files.count());
            json.put("entries", files.entries());
            Output out = out();
            out.print(json, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (ContextFileEntry entry : files.entries()) {
                    rows.add(List.of(
                            entry.folder() ? "folder" : "file",
                            entry.folder() ? "-" : String.valueOf(entry.size()),
                            entry.gmtModified(),
                            entry.filePath()
                                    + (entry.folder() && !entry.filePath().endsWith("/") ? "/" : "")));
                }
                out.table(List.of("TYPE", "SIZE", "MODIFIED", "PATH"), rows);
                int pages = (files.count() + size - 1) / size;
                if (pages > 1) {
                    out.out()
                            .println("(page " + page + " of " + pages + ", " + files.count()
                                    + " entries; --page N shows another)");
                }
            });
            return 0;
        }
    }

    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description = "Upload the local file LOCAL to path REMOTE of context ID (replacing any file there).")
    static final class Put extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Context id")
        String id;

        @Parameters(index = "1", paramLabel = "LOCAL", description = "Local file")
        Path local;

        @Parameters(
                index = "2",
                paramLabel = "REMOTE",
                description = "Absolute path in the context, such as /home/project/a.txt")
        String remote;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(local)) {
                throw CliException.usage("Cannot upload '" + local + "': it is not a file (give a local file path)");
            }
            FileUrlResult url = check(
                    contexts().getFileUploadUrl(id, remote), "upload to '" + remote + "' of context '" + id + "'");
            long bytes = new Transfer().upload(local, url.url(), progress("put " + local.getFileName()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("contextId", id);
            json.put("path", remote);
            json.put("local", local.toAbsolutePath().toString());
            json.put("bytes", bytes);
            out().print(json, "Uploaded " + local + " to " + id + ":" + remote + " (" + ProgressBar.bytes(bytes) + ")");
            return 0;
        }
    }

    @Command(
            name = "get-file",
            mixinStandardHelpOptions = true,
            description = "Download path REMOTE of context ID to the local file LOCAL (into it, if a directory).")
    static final class GetFile extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Context id")
        String id;

        @Parameters(index = "1", paramLabel = "REMOTE", description = "Absolute path in the context")
        String remote;

        @Parameters(index = "2", paramLabel = "LOCAL", description = "Local file or directory")
        Path local;

        @Override
        public Integer call() {
            Path target = local;
            if (Files.isDirectory(local)) {
                String name = remote.substring(remote.lastIndexOf('/') + 1);
                if (name.isEmpty()) {
                    throw CliException.usage(
                            "Cannot download '" + remote + "': it names a folder (give the path of a file)");
                }
                target = local.resolve(name);
            }
            FileUrlResult url = check(
                    contexts().getFileDownloadUrl(id, remote), "download '" + remote + "' of context '" + id + "'");
            long bytes = new Transfer()
                    .download(
                            url.url(),
                            target,
                            progress("get " + target.getFileName()),
                            "'" + remote + "' of context '" + id + "'");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("contextId", id);
            json.put("path", remote);
            json.put("local", target.toAbsolutePath().toString());
            json.put("bytes", bytes);
            out().print(
                            json,
                            "Downloaded " + id + ":" + remote + " to " + target + " (" + ProgressBar.bytes(bytes)
                                    + ")");
            return 0;
        }
    }

    @Command(name = "rm-file", mixinStandardHelpOptions = true, description = "Delete path REMOTE of context ID.")
    static final class RemoveFile extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Context id")
        String id;

        @Parameters(index = "1", paramLabel = "REMOTE", description = "Absolute path in the context")
        String remote;

        @Override
        public Integer call() {
            check(contexts().deleteFile(id, remote), "delete '" + remote + "' of context '" + id + "'");
            out().print(Map.of("contextId", id, "path", remote, "deleted", true), "Deleted " + id + ":" + remote);
            return 0;
        }
    }
}
