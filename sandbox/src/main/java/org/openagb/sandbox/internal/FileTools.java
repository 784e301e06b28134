package org.openagb.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.openagb.sandbox.internal.SessionPaths.PathException;
import org.openagb.sandbox.internal.SessionPaths.Resolved;
import org.openagb.sandbox.internal.ToolArgs.ToolException;

/**
 * The MCP file tools (WIRE.md §5.2), acting on the session's files from the host side. Every path goes through
 * {@link SessionPaths}; final components are opened with {@code NOFOLLOW_LINKS}. Thread safe (stateless).
 *
 * <p>Why it is this long: one short method per file tool of the wire (ten of them, with their exact result formats),
 * all sharing the same safe path resolution and error wording; the scans live in FileSearch and DirectoryScan.
 */
public final class FileTools {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final SessionPaths paths;
    private final java.util.function.Consumer<Path> adopt;

    /**
     * @param adopt gives a host path the tools created (and everything below it) to the session's uid
     */
    public FileTools(SessionPaths paths, java.util.function.Consumer<Path> adopt) {
        this.paths = paths;
        this.adopt = adopt;
    }

    /** {@code dir} or its first ancestor that does not exist yet ({@code null} if all exist). */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir; p != null && !Files.exists(p, NOFOLLOW); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    Resolved resolve(String verb, String path, boolean followLast) {
        try {
            return paths.resolve(path, followLast);
        } catch (PathException e) {
            throw new ToolException("Cannot " + verb + " '" + path + "': " + e.getMessage());
        }
    }

    static ToolException failure(String verb, String path, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file or directory (check the path, e.g. with list_directory)";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "a file already exists there";
        } else if (e instanceof DirectoryNotEmptyException) {
            reason = "the directory is not empty (delete its contents first)";
        } else if (e instanceof NotDirectoryException) {
            reason = "a parent is not a directory";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ToolException("Cannot " + verb + " '" + path + "': " + reason);
    }

    private static BasicFileAttributes attributes(String verb, String path, Path host) {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, NOFOLLOW);
        } catch (IOException e) {
            throw failure(verb, path, e);
        }
    }

    private static void requireRegularFile(String verb, String path, BasicFileAttributes attrs) {
        if (attrs.isDirectory()) {
            throw new ToolException("Cannot " + verb + " '" + path + "': it is a directory (use list_directory)");
        }
        if (!attrs.isRegularFile()) {
            throw new ToolException("Cannot " + verb + " '" + path + "': it is not a regular file");
        }
    }

    // ---- read_file ----

    public String readFile(ToolArgs args) {
        String path = args.requiredString("path");
        long offset = args.optionalLong("offset", 0);
        long length = args.optionalLong("length", 0);
        boolean binary = "binary".equals(args.optionalString("format", "text"));
        if (offset < 0 || length < 0) {
            throw new ToolException(
                    "Cannot read '" + path + "': offset (" + offset + ") and length (" + length + ") must be >= 0");
        }
        Resolved r = resolve("read", path, true);
        BasicFileAttributes attrs = attributes("read", path, r.host());
        requireRegularFile("read", path, attrs);
        try (SeekableByteChannel channel = Files.newByteChannel(r.host(), Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            long size = channel.size();
            if (offset >= size) {
                return "";
            }
            long end = length == 0 ? size : Math.min(size, offset + length);
            long readEnd = binary ? end : Math.min(size, end + 3);
            if (readEnd - offset > Integer.MAX_VALUE - 16) {
                throw new ToolException("Cannot read '" + path + "': the range is too large (read it in chunks with"
                        + " offset and length)");
            }
            byte[] bytes = readRange(channel, offset, (int) (readEnd - offset));
            if (binary) {
                return Base64.getEncoder().encodeToString(bytes);
            }
            return Utf8.charsStartingIn(bytes, 0, (int) (end - offset));
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    private static byte[] readRange(SeekableByteChannel channel, long offset, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        channel.position(offset);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        byte[] out = new byte[buffer.position()];
        buffer.flip();
        buffer.get(out);
        return out;
    }

    String readWholeText(String verb, String path) {
        Resolved r = resolve(verb, path, true);
        BasicFileAttributes attrs = attributes(verb, path, r.host());
        requireRegularFile(verb, path, attrs);
        try (SeekableByteChannel channel = Files.newByteChannel(r.host(), Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new ToolException("Cannot " + verb + " '" + path + "': the file is too large (" + size
                        + " bytes; use read_file with offset and length)");
            }
            return new String(readRange(channel, 0, (int) size), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure(verb, path, e);
        }
    }

    // ---- write_file ----

    public String writeFile(ToolArgs args) {
        String path = args.requiredString("path");
        String content = args.requiredString("content");
        String mode = args.optionalString("mode", "overwrite");
        Set<OpenOption> options = switch (mode) {
            case "overwrite" ->
                Set.of(
                        StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        NOFOLLOW);
            case "append" ->
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND, NOFOLLOW);
            case "create_new" -> Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, NOFOLLOW);
            default ->
                throw new ToolException(
                        "Cannot write '" + path + "': mode '" + mode + "' is not one of overwrite, append, create_new");
        };
        Resolved r = resolve("write", path, true);
        writeBytes("write", path, r, content.getBytes(StandardCharsets.UTF_8), options);
        return "Successfully wrote to " + path;
    }

    private void writeBytes(String verb, String path, Resolved r, byte[] bytes, Set<OpenOption> options) {
        if (r.isRoot(paths.roots())) {
            throw new ToolException("Cannot " + verb + " '" + path + "': it is a directory");
        }
        try {
            if (Files.exists(r.host(), NOFOLLOW)) {
                BasicFileAttributes attrs = attributes(verb, path, r.host());
                if (attrs.isDirectory()) {
                    throw new ToolException("Cannot " + verb + " '" + path + "': it is a directory");
                }
                if (!attrs.isRegularFile() && !options.contains(StandardOpenOption.CREATE_NEW)) {
                    throw new ToolException("Cannot " + verb + " '" + path + "': it is not a regular file");
                }
            } else {
                createParents(verb, path, r);
            }
            boolean created = !Files.exists(r.host(), NOFOLLOW);
            try (FileChannel channel = FileChannel.open(r.host(), options)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            if (created) {
                adopt.accept(r.host());
            }
        } catch (IOException e) {
            throw failure(verb, path, e);
        }
    }

    private void createParents(String verb, String path, Resolved r) throws IOException {
        Path parent = r.host().getParent();
        if (parent != null && !Files.isDirectory(parent, NOFOLLOW)) {
            // Re-resolve the parent in the session so a link among the missing parents is never followed out.
            String parentPath = r.path().substring(0, r.path().lastIndexOf('/'));
            Resolved p = resolve(verb, parentPath.isEmpty() ? "/" : parentPath, true);
            try {
                Path missing = firstMissing(p.host());
                Files.createDirectories(p.host());
                if (missing != null) {
                    adopt.accept(missing);
                }
            } catch (FileAlreadyExistsException e) {
                throw new ToolException("Cannot " + verb + " '" + path + "': a parent is not a directory");
            }
        }
    }

    // ---- create_directory ----

    public String createDirectory(ToolArgs args) {
        String path = args.requiredString("path");
        Resolved r = resolve("create directory", path, true);
        try {
            Path missing = firstMissing(r.host());
            Files.createDirectories(r.host());
            if (missing != null) {
                adopt.accept(missing);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ToolException("Cannot create directory '" + path + "': a file is in the way");
        } catch (IOException e) {
            throw failure("create directory", path, e);
        }
        return "Successfully created directory " + path;
    }

    // ---- list_directory ----

    public String listDirectory(ToolArgs args) {
        String path = args.requiredString("path");
        Resolved r = resolve("list", path, true);
        BasicFileAttributes attrs = attributes("list", path, r.host());
        if (!attrs.isDirectory()) {
            throw new ToolException("Cannot list '" + path + "': it is not a directory");
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> entries = Files.list(r.host())) {
            for (Path entry : entries.sorted().toList()) {
                boolean dir = Files.isDirectory(entry, NOFOLLOW);
                lines.add((dir ? "[DIR] " : "[FILE] ") + entry.getFileName());
            }
        } catch (IOException e) {
            throw failure("list", path, e);
        }
        return String.join("\n", lines);
    }

    // ---- get_file_change ----

    /**
     * Scans the directory (not following symlinks, the directory itself excluded) and answers the changes since the
     * previous poll of it as the SDKs' JSON array of {@code {eventType, path, pathType}}.
     */
    public String fileChanges(ToolArgs args, org.openagb.sandbox.FileChanges state) {
        String path = args.requiredString("path");
        Resolved r = resolve("watch", path, true);
        BasicFileAttributes attrs = attributes("watch", path, r.host());
        if (!attrs.isDirectory()) {
            throw new ToolException("Cannot watch '" + path + "': it is not a directory (pass a directory path)");
        }
        java.util.Map<String, org.openagb.sandbox.FileChanges.Stat> scan =
                DirectoryScan.scan(r.host(), r.path().equals("/") ? "" : r.path(), path);
        List<java.util.Map<String, String>> out = new ArrayList<>();
        for (org.openagb.sandbox.FileChanges.Event e : state.poll(r.path(), scan)) {
            out.add(java.util.Map.of("eventType", e.eventType(), "path", e.path(), "pathType", e.pathType()));
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    // ---- get_file_info ----

    public String fileInfo(ToolArgs args) {
        String path = args.requiredString("path");
        Resolved r = resolve("get info of", path, true);
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(r.host(), PosixFileAttributes.class, NOFOLLOW);
        } catch (IOException e) {
            throw failure("get info of", path, e);
        }
        String requested = r.requested();
        String name = requested.equals("/") ? "/" : requested.substring(requested.lastIndexOf('/') + 1);
        char type = attrs.isDirectory() ? 'd' : attrs.isSymbolicLink() ? 'l' : attrs.isRegularFile() ? '-' : '?';
        return String.join(
                "\n",
                "name: " + name,
                "path: " + requested,
                "size: " + attrs.size(),
                "isDirectory: " + attrs.isDirectory(),
                "modTime: " + attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS),
                "mode: " + type + PosixFilePermissions.toString(attrs.permissions()));
    }

    // ---- delete_file ----

    public String deleteFile(ToolArgs args) {
        String path = args.requiredString("path");
        Resolved r = resolve("delete", path, false);
        if (r.isRoot(paths.roots())) {
            throw new ToolException("Cannot delete '" + path + "': it is a writable root of the session");
        }
        try {
            Files.delete(r.host());
        } catch (IOException e) {
            throw failure("delete", path, e);
        }
        return "Successfully deleted " + path;
    }

    // ---- move_file ----

    public String moveFile(ToolArgs args) {
        String source = args.requiredString("source");
        String destination = args.requiredString("destination");
        Resolved from = resolve("move", source, false);
        Resolved to = resolve("move to", destination, false);
        if (from.isRoot(paths.roots()) || to.isRoot(paths.roots())) {
            throw new ToolException("Cannot move '" + source + "' to '" + destination
                    + "': a writable root of the session cannot be moved or replaced");
        }
        try {
            if (!Files.exists(from.host(), NOFOLLOW)) {
                throw new NoSuchFileException(source);
            }
            if (Files.exists(to.host(), NOFOLLOW)) {
                throw new ToolException("Cannot move '" + source + "' to '" + destination
                        + "': the destination already exists" + " (delete it first or choose another name)");
            }
            createParents("move to", destination, to);
            Files.move(from.host(), to.host());
        } catch (IOException e) {
            throw failure("move", source, e);
        }
        return "Successfully moved " + source + " to " + destination;
    }

    // ---- edit_file ----

    public String editFile(ToolArgs args) {
        String path = args.requiredString("path");
        boolean dryRun = args.optionalBoolean("dryRun", false);
        JsonNode edits = args.node("edits");
        if (edits == null || !edits.isArray()) {
            throw new ToolException("Argument 'edits' of tool 'edit_file' must be an array of {oldText, newText}");
        }
        String original = readWholeText("edit", path);
        String content = original;
        int index = 0;
        for (JsonNode edit : edits) {
            index++;
            JsonNode oldNode = edit.get("oldText");
            if (oldNode == null || !oldNode.isTextual() || oldNode.asText().isEmpty()) {
                throw new ToolException("Cannot edit '" + path + "': edit " + index + " has no oldText");
            }
            String oldText = oldNode.asText();
            JsonNode newNode = edit.get("newText");
            String newText = newNode == null || newNode.isNull() ? "" : newNode.asText();
            int at = content.indexOf(oldText);
            if (at < 0) {
                throw new ToolException("Cannot edit '" + path + "': edit " + index + ": oldText not found: '"
                        + abbreviate(oldText) + "' (oldText must match the file exactly, including whitespace)");
            }
            content = content.substring(0, at) + newText + content.substring(at + oldText.length());
        }
        String diff = Diffs.unified(path, original, content);
        if (!dryRun) {
            Resolved r = resolve("edit", path, true);
            writeBytes(
                    "edit",
                    path,
                    r,
                    content.getBytes(StandardCharsets.UTF_8),
                    Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, NOFOLLOW));
        }
        return diff;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    // ---- read_multiple_files ----

    public String readMultipleFiles(ToolArgs args) {
        List<String> requested = args.stringList("paths", true);
        List<String> blocks = new ArrayList<>();
        for (String path : requested) {
            try {
                blocks.add(path + ":\n" + readWholeText("read", path) + "\n");
            } catch (ToolException e) {
                blocks.add(path + ": Error - " + e.getMessage());
            }
        }
        return String.join("\n---\n", blocks);
    }

    // ---- search_files ----

    public String searchFiles(ToolArgs args) {
        String path = args.requiredString("path");
        String pattern = args.requiredString("pattern");
        List<String> excludes = args.stringList("excludePatterns", false);
        Resolved r = resolve("search", path, true);
        BasicFileAttributes attrs = attributes("search", path, r.host());
        if (!attrs.isDirectory()) {
            throw new ToolException("Cannot search '" + path + "': it is not a directory");
        }
        List<String> matches;
        try {
            matches = FileSearch.search(r.host(), r.path(), pattern, excludes);
        } catch (IllegalArgumentException e) {
            throw new ToolException("Cannot search '" + path + "': invalid pattern: " + e.getMessage());
        } catch (IOException e) {
            throw failure("search", path, e);
        }
        return matches.isEmpty() ? "No matches found" : String.join("\n", matches);
    }
}
