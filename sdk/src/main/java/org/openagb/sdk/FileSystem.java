package org.openagb.sdk;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.Parsers;
import org.openagb.sdk.internal.ToolResponse;

/**
 * Files in a session, through the filesystem tools of WIRE.md §5.2. Paths are absolute paths inside the session.
 * Large reads and writes are split into chunks of {@value #CHUNK_SIZE} (bytes for reads, characters for writes), as the
 * official SDKs do. Thread-safe; concurrent writes to one file interleave their chunks.
 */
public final class FileSystem {
    /** Chunk size of reads (bytes) and writes (characters). */
    public static final int CHUNK_SIZE = 51200;

    private final ApiClient client;
    private final String sessionId;
    private final FileTransfer transfer;

    FileSystem(ApiClient client, String sessionId, SessionContext context) {
        this.client = client;
        this.sessionId = sessionId;
        this.transfer = new FileTransfer(client, sessionId, context);
    }

    /** Uploads a local file to {@code remote} in the session; see {@link #upload(Path, String, TransferListener)}. */
    public FileTransferResult upload(Path local, String remote) {
        return transfer.upload(local, remote, null);
    }

    /**
     * Uploads the local file {@code local} to the absolute session path {@code remote}, replacing a file there, as the
     * official SDK does (WIRE.md §6.7): the bytes are streamed from disk with a {@code PUT} to a presigned URL of the
     * session's internal file-transfer context (files of any size, never held in memory), then the directory of
     * {@code remote} is synced from that context into the session, and this waits for that sync task. Missing parent
     * directories in the session are created.
     *
     * <p>Fails (without any request) if {@code local} is not a regular file: {@code "Cannot upload '<local>': no such
     * file (…)"}.
     *
     * @param listener told the bytes sent so far after each chunk, or {@code null}
     * @throws IllegalArgumentException if {@code local} is null or {@code remote} is not an absolute file path
     */
    public FileTransferResult upload(Path local, String remote, TransferListener listener) {
        return transfer.upload(local, remote, listener);
    }

    /** Downloads {@code remote} from the session; see {@link #download(String, Path, TransferListener)}. */
    public FileTransferResult download(String remote, Path local) {
        return transfer.download(remote, local, null);
    }

    /**
     * Downloads the session file {@code remote} to the local path {@code local}, as the official SDK does (WIRE.md
     * §6.7): the directory of {@code remote} is synced from the session into its internal file-transfer context, then
     * the file is streamed with a {@code GET} from a presigned URL into a temporary file next to {@code local}, which
     * is finally moved onto {@code local} (atomically where the file system can). A failed download leaves
     * {@code local} untouched. Missing local parent directories are created.
     *
     * @param listener told the bytes received so far after each chunk, or {@code null}
     * @throws IllegalArgumentException if {@code local} is null or {@code remote} is not an absolute file path
     */
    public FileTransferResult download(String remote, Path local, TransferListener listener) {
        return transfer.download(remote, local, listener);
    }

    /** Reads a text file: {@code get_file_info}, then {@code read_file} chunks at byte offsets. Fails on a directory. */
    public FileContentResult read(String path) {
        Chunks chunks = readChunks(path, false);
        if (!chunks.success) {
            return new FileContentResult(false, chunks.requestId, chunks.errorMessage, "");
        }
        return new FileContentResult(true, chunks.requestId, "", String.join("", chunks.parts));
    }

    /** Reads a file's bytes ({@code format: "binary"}, base64 on the wire). Fails on a directory. */
    public BinaryContentResult readBytes(String path) {
        Chunks chunks = readChunks(path, true);
        if (!chunks.success) {
            return new BinaryContentResult(false, chunks.requestId, chunks.errorMessage, new byte[0]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (String part : chunks.parts) {
                bytes.writeBytes(Base64.getDecoder().decode(part.strip()));
            }
        } catch (IllegalArgumentException e) {
            return new BinaryContentResult(
                    false,
                    chunks.requestId,
                    "Cannot read file '" + path + "': the server sent invalid base64 (" + e.getMessage() + ")",
                    new byte[0]);
        }
        return new BinaryContentResult(true, chunks.requestId, "", bytes.toByteArray());
    }

    private Chunks readChunks(String path, boolean binary) {
        requirePath("read file", path);
        ToolResponse infoResponse = client.callTool(sessionId, "get_file_info", Map.of("path", path));
        if (!infoResponse.success()) {
            return Chunks.failed(infoResponse.requestId(), infoResponse.errorMessage());
        }
        FileInfo info = Parsers.fileInfo(infoResponse.text());
        if (info.directory()) {
            return Chunks.failed(
                    infoResponse.requestId(),
                    "Cannot read file '" + path + "': it is a directory (use list(path) to see its entries)");
        }
        Chunks chunks = new Chunks(true, infoResponse.requestId(), "");
        for (long offset = 0; offset < info.size(); offset += CHUNK_SIZE) {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("path", path);
            args.put("offset", offset);
            args.put("length", Math.min(CHUNK_SIZE, info.size() - offset));
            if (binary) {
                args.put("format", "binary");
            }
            ToolResponse chunk = client.callTool(sessionId, "read_file", args);
            if (!chunk.success()) {
                return Chunks.failed(chunk.requestId(), chunk.errorMessage());
            }
            chunks.requestId = chunk.requestId();
            chunks.parts.add(chunk.text() == null ? "" : chunk.text());
        }
        return chunks;
    }

    /** Overwrites (or creates) {@code path} with {@code content}; missing parent directories are created. */
    public OperationResult write(String path, String content) {
        return write(path, content, WriteMode.OVERWRITE);
    }

    /**
     * Writes {@code content} with {@code mode}. Content longer than {@value #CHUNK_SIZE} characters is sent as a first
     * chunk with {@code mode}, then appended chunk by chunk (never splitting a surrogate pair).
     */
    public OperationResult write(String path, String content, WriteMode mode) {
        requirePath("write file", path);
        if (content == null || mode == null) {
            throw new IllegalArgumentException("Cannot write file '" + path
                    + "': content and mode must not be null (use \"\" for an empty file, WriteMode.OVERWRITE)");
        }
        int start = 0;
        WriteMode chunkMode = mode;
        ToolResponse response;
        do {
            int end = Math.min(content.length(), start + CHUNK_SIZE);
            if (end < content.length() && Character.isHighSurrogate(content.charAt(end - 1))) {
                end--;
            }
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("path", path);
            args.put("content", content.substring(start, end));
            args.put("mode", chunkMode.wireName());
            response = client.callTool(sessionId, "write_file", args);
            if (!response.success()) {
                return new OperationResult(false, response.requestId(), response.errorMessage());
            }
            chunkMode = WriteMode.APPEND;
            start = end;
        } while (start < content.length());
        return new OperationResult(true, response.requestId(), "");
    }

    /** Lists the children of a directory. */
    public DirectoryListResult list(String path) {
        requirePath("list directory", path);
        ToolResponse response = client.callTool(sessionId, "list_directory", Map.of("path", path));
        if (!response.success()) {
            return new DirectoryListResult(false, response.requestId(), response.errorMessage(), List.of());
        }
        return new DirectoryListResult(true, response.requestId(), "", Parsers.directory(response.text()));
    }

    /** Creates a directory and its parents; succeeds if it exists. */
    public OperationResult mkdir(String path) {
        requirePath("create directory", path);
        return operation(client.callTool(sessionId, "create_directory", Map.of("path", path)));
    }

    /** Metadata of a file or directory; fails if it does not exist. */
    public FileInfoResult info(String path) {
        requirePath("get info of", path);
        ToolResponse response = client.callTool(sessionId, "get_file_info", Map.of("path", path));
        if (!response.success()) {
            return new FileInfoResult(false, response.requestId(), response.errorMessage(), null);
        }
        return new FileInfoResult(true, response.requestId(), "", Parsers.fileInfo(response.text()));
    }

    /** Removes a file or an empty directory. */
    public OperationResult remove(String path) {
        requirePath("remove file", path);
        return operation(client.callTool(sessionId, "delete_file", Map.of("path", path)));
    }

    /** Moves or renames {@code source} to {@code destination}. */
    public OperationResult move(String source, String destination) {
        requirePath("move file", source);
        requirePath("move file to", destination);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("source", source);
        args.put("destination", destination);
        return operation(client.callTool(sessionId, "move_file", args));
    }

    /**
     * Applies {@code edits} in order, each replacing an exact occurrence of its old text; fails if one is not found.
     * With {@code dryRun} nothing is written.
     */
    public OperationResult edit(String path, List<FileEdit> edits, boolean dryRun) {
        requirePath("edit file", path);
        if (edits == null || edits.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot edit file '" + path + "': no edits given (pass at least one FileEdit)");
        }
        List<Map<String, String>> wireEdits = new ArrayList<>();
        for (FileEdit edit : edits) {
            Map<String, String> wire = new LinkedHashMap<>();
            wire.put("oldText", edit.oldText());
            wire.put("newText", edit.newText());
            wireEdits.add(wire);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("path", path);
        args.put("edits", wireEdits);
        args.put("dryRun", dryRun);
        return operation(client.callTool(sessionId, "edit_file", args));
    }

    /**
     * Finds entries under {@code path} (recursively) whose name matches the glob {@code pattern} (a plain word matches
     * as a case-insensitive substring), minus those matching any of {@code excludes}.
     */
    public FileSearchResult search(String path, String pattern, List<String> excludes) {
        requirePath("search directory", path);
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("Cannot search directory '" + path + "' for pattern '" + pattern
                    + "': it is empty (use e.g. '*.txt')");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("path", path);
        args.put("pattern", pattern);
        if (excludes != null && !excludes.isEmpty()) {
            args.put("excludePatterns", List.copyOf(excludes));
        }
        ToolResponse response = client.callTool(sessionId, "search_files", args);
        if (!response.success()) {
            return new FileSearchResult(false, response.requestId(), response.errorMessage(), List.of());
        }
        return new FileSearchResult(true, response.requestId(), "", Parsers.searchMatches(response.text()));
    }

    /** Finds entries under {@code path} matching {@code pattern}. */
    public FileSearchResult search(String path, String pattern) {
        return search(path, pattern, List.of());
    }

    /** Reads several text files in one call; results are keyed by the requested path. Paths must not contain ':'. */
    public BatchReadResult readBatch(List<String> paths) {
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("Cannot read files '" + paths + "': no paths given (pass at least one)");
        }
        for (String path : paths) {
            requirePath("read file", path);
        }
        ToolResponse response = client.callTool(sessionId, "read_multiple_files", Map.of("paths", List.copyOf(paths)));
        if (!response.success()) {
            return new BatchReadResult(false, response.requestId(), response.errorMessage(), Map.of());
        }
        return new BatchReadResult(true, response.requestId(), "", Parsers.batch(response.text()));
    }

    private static OperationResult operation(ToolResponse response) {
        return new OperationResult(response.success(), response.requestId(), response.errorMessage());
    }

    private static void requirePath(String verb, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("Cannot " + verb + " '" + path
                    + "': the path is blank (give an absolute path such as '/tmp/a.txt')");
        }
    }

    private static final class Chunks {
        final boolean success;
        String requestId;
        final String errorMessage;
        final List<String> parts = new ArrayList<>();

        Chunks(boolean success, String requestId, String errorMessage) {
            this.success = success;
            this.requestId = requestId;
            this.errorMessage = errorMessage;
        }

        static Chunks failed(String requestId, String errorMessage) {
            return new Chunks(false, requestId, errorMessage);
        }
    }
}
