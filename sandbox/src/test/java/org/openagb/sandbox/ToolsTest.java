package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ToolsTest extends SandboxExtensionSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tools tools = new Tools();
    private Sandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = start("tools");
    }

    private ToolResult call(String tool, Object... keyValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        try {
            return tools.call(sandbox, tool, JSON.writeValueAsString(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String ok(String tool, Object... keyValues) {
        ToolResult result = call(tool, keyValues);
        assertThat(result.isError()).as(result.text()).isFalse();
        return result.text();
    }

    private String error(String tool, Object... keyValues) {
        ToolResult result = call(tool, keyValues);
        assertThat(result.isError()).as(result.text()).isTrue();
        return result.text();
    }

    // ---- shell ----

    @Test
    void shell_success_returnsWireJson() throws Exception {
        ToolResult result = call("shell", "command", "echo hi", "timeout_ms", 1000);
        assertThat(result.isError()).isFalse();
        assertThat(result.text()).isEqualTo("{\"stdout\":\"hi\\n\",\"stderr\":\"\",\"exit_code\":0,\"traceId\":\"\"}");
    }

    @Test
    void shell_pwdWithCwdTmp_returnsExactlyTmp() throws Exception {
        JsonNode json = JSON.readTree(ok("shell", "command", "pwd", "timeout_ms", 1000, "cwd", "/tmp"));
        assertThat(json.get("stdout").asText()).isEqualTo("/tmp\n");
    }

    @Test
    void shell_envs_areVisible() throws Exception {
        JsonNode json = JSON.readTree(
                ok("shell", "command", "echo $A$B", "timeout_ms", 1000, "envs", Map.of("A", "x", "B", "y")));
        assertThat(json.get("stdout").asText()).isEqualTo("xy\n");
    }

    @Test
    void shell_nonZeroExit_isErrorWithSameJson() throws Exception {
        JsonNode json = JSON.readTree(error("shell", "command", "echo bad >&2; exit 2", "timeout_ms", 1000));
        assertThat(json.get("exit_code").asInt()).isEqualTo(2);
        assertThat(json.get("stderr").asText()).isEqualTo("bad\n");
        assertThat(json.get("traceId").asText()).isEmpty();
    }

    @Test
    void shell_timeout_isErrorWith124() throws Exception {
        JsonNode json = JSON.readTree(error("shell", "command", "echo start; sleep 30", "timeout_ms", 300));
        assertThat(json.get("exit_code").asInt()).isEqualTo(124);
        assertThat(json.get("stdout").asText()).isEqualTo("start\n");
        assertThat(json.get("stderr").asText()).contains("timed out after 300 ms");
    }

    @Test
    void shell_missingCommand_isErrorNamingIt() {
        assertThat(error("shell", "timeout_ms", 1000)).isEqualTo("Missing argument 'command' for tool 'shell'");
    }

    @Test
    void unknownTool_isErrorListingKnownTools() {
        assertThat(error("run_python"))
                .startsWith(
                        "Unknown tool 'run_python': this session does not support it (known tools: shell, read_file,");
    }

    @Test
    void invalidArgsJson_isError() {
        ToolResult result = tools.call(sandbox, "read_file", "{not json");
        assertThat(result.isError()).isTrue();
        assertThat(result.text()).startsWith("Invalid arguments for tool 'read_file': not valid JSON");
    }

    // ---- write_file / read_file ----

    @Test
    void writeFile_thenRead_roundTripsExactlyIncludingTrailingNewline() {
        ok("write_file", "path", "/home/a/b/f.txt", "content", "line1\nline2\n", "mode", "overwrite");
        assertThat(ok("read_file", "path", "/home/a/b/f.txt")).isEqualTo("line1\nline2\n");
        assertThat(run(sandbox, "cat /home/a/b/f.txt").stdout()).isEqualTo("line1\nline2\n");
    }

    @Test
    void writeFile_appendAndCreateNew_behaveAsNamed() {
        ok("write_file", "path", "/tmp/f", "content", "a", "mode", "append");
        ok("write_file", "path", "/tmp/f", "content", "b", "mode", "append");
        assertThat(ok("read_file", "path", "/tmp/f")).isEqualTo("ab");
        assertThat(error("write_file", "path", "/tmp/f", "content", "c", "mode", "create_new"))
                .isEqualTo("Cannot write '/tmp/f': a file already exists there");
        ok("write_file", "path", "/tmp/g", "content", "new", "mode", "create_new");
        assertThat(error("write_file", "path", "/tmp/f", "content", "c", "mode", "sideways"))
                .contains("mode 'sideways' is not one of overwrite, append, create_new");
    }

    @Test
    void writeFile_largeChunkedContent_readsBackWithSameLength() {
        String chunk = "x".repeat(51200);
        ok("write_file", "path", "/home/big.txt", "content", chunk, "mode", "overwrite");
        ok("write_file", "path", "/home/big.txt", "content", "y".repeat(48800), "mode", "append");
        StringBuilder read = new StringBuilder();
        for (int offset = 0; offset < 100000; offset += 51200) {
            read.append(ok(
                    "read_file",
                    "path",
                    "/home/big.txt",
                    "offset",
                    offset,
                    "length",
                    Math.min(51200, 100000 - offset)));
        }
        assertThat(read).hasSize(100000);
    }

    @Test
    void readFile_textChunks_keepMultiByteCharactersWhole() {
        String text = "aé€😀b";
        ok("write_file", "path", "/home/u.txt", "content", text);
        int size = text.getBytes(StandardCharsets.UTF_8).length; // 1+2+3+4+1 = 11
        for (int chunk = 1; chunk <= size; chunk++) {
            StringBuilder read = new StringBuilder();
            for (int offset = 0; offset < size; offset += chunk) {
                read.append(ok(
                        "read_file",
                        "path",
                        "/home/u.txt",
                        "offset",
                        offset,
                        "length",
                        Math.min(chunk, size - offset)));
            }
            assertThat(read.toString()).as("chunk size %d", chunk).isEqualTo(text);
        }
        assertThat(ok("read_file", "path", "/home/u.txt", "offset", 1, "length", 1))
                .isEqualTo("é");
        assertThat(ok("read_file", "path", "/home/u.txt", "offset", 2, "length", 1))
                .isEmpty();
    }

    @Test
    void readFile_binary_returnsBase64OfRangeWithoutNewlines() throws Exception {
        byte[] bytes = new byte[5000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Files.write(sandbox.files().hostPath("/home/bin"), bytes);
        String all = ok("read_file", "path", "/home/bin", "format", "binary");
        assertThat(all).matches("[A-Za-z0-9+/=]+");
        assertThat(Base64.getDecoder().decode(all)).isEqualTo(bytes);
        String part = ok("read_file", "path", "/home/bin", "offset", 10, "length", 7, "format", "binary");
        assertThat(Base64.getDecoder().decode(part)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 10, 17));
        assertThat(ok("read_file", "path", "/home/bin", "offset", 5000, "length", 10, "format", "binary"))
                .isEmpty();
        assertThat(ok("read_file", "path", "/home/bin", "offset", 4998, "length", 0, "format", "binary"))
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {bytes[4998], bytes[4999]}));
    }

    @Test
    void readFile_missingOrDirectory_isErrorNamingPath() {
        assertThat(error("read_file", "path", "/home/nope.txt"))
                .startsWith("Cannot read '/home/nope.txt': no such file or directory");
        assertThat(error("read_file", "path", "/home"))
                .isEqualTo("Cannot read '/home': it is a directory (use list_directory)");
        assertThat(error("read_file", "path", "relative.txt")).contains("the path is not absolute");
    }

    @Test
    void readFile_fifo_isRefusedInsteadOfBlocking() throws Exception {
        // Sessions cannot make FIFOs (seccomp); one made on the host side must still not block the server.
        assertThat(run(sandbox, "mkfifo /tmp/denied").stderr()).contains("Operation not permitted");
        Process mkfifo = new ProcessBuilder(
                        "mkfifo",
                        sandbox.files().hostPath("/tmp").resolve("pipe").toString())
                .inheritIO()
                .start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThat(error("read_file", "path", "/tmp/pipe"))
                .isEqualTo("Cannot read '/tmp/pipe': it is not a regular file");
    }

    // ---- directories ----

    @Test
    void listDirectory_listsSortedEntriesWithPrefixesOnly() {
        ok("create_directory", "path", "/home/d/sub");
        ok("write_file", "path", "/home/d/b.txt", "content", "b");
        ok("write_file", "path", "/home/d/a.txt", "content", "a");
        assertThat(ok("list_directory", "path", "/home/d")).isEqualTo("[FILE] a.txt\n[FILE] b.txt\n[DIR] sub");
        assertThat(ok("list_directory", "path", "/home/d/sub")).isEmpty();
        assertThat(error("list_directory", "path", "/home/d/a.txt"))
                .isEqualTo("Cannot list '/home/d/a.txt': it is not a directory");
    }

    @Test
    void createDirectory_isIdempotentAndRefusesFileInTheWay() {
        ok("create_directory", "path", "/home/x/y/z");
        ok("create_directory", "path", "/home/x/y/z");
        ok("create_directory", "path", "/home/x/y/z/");
        ok("write_file", "path", "/home/file", "content", "");
        assertThat(error("create_directory", "path", "/home/file/sub"))
                .startsWith("Cannot create directory '/home/file/sub'");
    }

    @Test
    void getFileInfo_reportsKeyValueLines() {
        ok("write_file", "path", "/tmp/f.txt", "content", "12345");
        String info = ok("get_file_info", "path", "/tmp/f.txt");
        assertThat(info.lines())
                .containsExactly(
                        "name: f.txt",
                        "path: /tmp/f.txt",
                        "size: 5",
                        "isDirectory: false",
                        info.lines().toList().get(4),
                        "mode: -rw-r--r--");
        assertThat(info.lines().toList().get(4)).matches("modTime: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(ok("get_file_info", "path", "/tmp")).contains("isDirectory: true");
        assertThat(error("get_file_info", "path", "/tmp/missing"))
                .startsWith("Cannot get info of '/tmp/missing': no such file");
    }

    @Test
    void deleteFile_removesFileAndEmptyDirectory_refusesNonEmptyDirectory() {
        ok("write_file", "path", "/home/d/f", "content", "x");
        assertThat(error("delete_file", "path", "/home/d"))
                .isEqualTo("Cannot delete '/home/d': the directory is not empty (delete its contents first)");
        ok("delete_file", "path", "/home/d/f");
        assertThat(call("get_file_info", "path", "/home/d/f").isError()).isTrue();
        ok("delete_file", "path", "/home/d");
        assertThat(error("delete_file", "path", "/home")).contains("writable root");
    }

    @Test
    void moveFile_movesAcrossRootsAndRefusesExistingDestination() {
        ok("write_file", "path", "/home/src.txt", "content", "payload");
        ok("write_file", "path", "/home/other.txt", "content", "other");
        assertThat(error("move_file", "source", "/home/src.txt", "destination", "/home/other.txt"))
                .contains("the destination already exists");
        ok("move_file", "source", "/home/src.txt", "destination", "/tmp/moved/dst.txt");
        assertThat(call("get_file_info", "path", "/home/src.txt").isError()).isTrue();
        assertThat(ok("read_file", "path", "/tmp/moved/dst.txt")).isEqualTo("payload");
        assertThat(error("move_file", "source", "/home/missing", "destination", "/home/x"))
                .startsWith("Cannot move '/home/missing': no such file");
    }

    @Test
    void editFile_appliesEditsInOrder_andDryRunDoesNotWrite() {
        ok("write_file", "path", "/home/e.txt", "content", "alpha\nbeta\ngamma\n");
        List<Map<String, String>> edits = List.of(
                Map.of("oldText", "beta\n", "newText", "BETA\n"), Map.of("oldText", "BETA\ngamma", "newText", "done"));
        String diff = ok("edit_file", "path", "/home/e.txt", "edits", edits, "dryRun", true);
        assertThat(diff).contains("-beta", "+done");
        assertThat(ok("read_file", "path", "/home/e.txt")).isEqualTo("alpha\nbeta\ngamma\n");
        ok("edit_file", "path", "/home/e.txt", "edits", edits, "dryRun", false);
        assertThat(ok("read_file", "path", "/home/e.txt")).isEqualTo("alpha\ndone\n");
    }

    @Test
    void editFile_oldTextNotFound_isErrorNamingIt() {
        ok("write_file", "path", "/home/e.txt", "content", "abc");
        assertThat(error(
                        "edit_file", "path", "/home/e.txt", "edits", List.of(Map.of("oldText", "xyz", "newText", "q"))))
                .startsWith("Cannot edit '/home/e.txt': edit 1: oldText not found: 'xyz'");
        assertThat(ok("read_file", "path", "/home/e.txt")).isEqualTo("abc");
    }

    @Test
    void readMultipleFiles_returnsBlocksInRequestOrderWithPerFileErrors() {
        ok("write_file", "path", "/home/1.txt", "content", "one");
        ok("write_file", "path", "/tmp/2.txt", "content", "two\n");
        String text = ok("read_multiple_files", "paths", List.of("/home/1.txt", "/home/missing", "/tmp/2.txt"));
        assertThat(text)
                .isEqualTo("/home/1.txt:\none\n\n---\n"
                        + "/home/missing: Error - Cannot read '/home/missing': no such file or directory (check the path, e.g. with list_directory)"
                        + "\n---\n/tmp/2.txt:\ntwo\n\n");
    }

    @Test
    void searchFiles_globSubstringAndExcludes() {
        for (String p : List.of(
                "/home/s/a.txt",
                "/home/s/file1.log",
                "/home/s/sub/b.txt",
                "/home/s/sub/File2.md",
                "/home/s/node_modules/c.txt")) {
            ok("write_file", "path", p, "content", "x");
        }
        assertThat(ok("search_files", "path", "/home/s", "pattern", "*.txt").lines())
                .containsExactly("/home/s/a.txt", "/home/s/node_modules/c.txt", "/home/s/sub/b.txt");
        assertThat(ok("search_files", "path", "/home/s", "pattern", "file").lines())
                .containsExactly("/home/s/file1.log", "/home/s/sub/File2.md");
        assertThat(ok("search_files", "path", "/home/s", "pattern", "file*").lines())
                .containsExactly("/home/s/file1.log");
        assertThat(ok("search_files", "path", "/home/s", "pattern", "sub/*.txt").lines())
                .containsExactly("/home/s/sub/b.txt");
        assertThat(ok("search_files", "path", "/home/s", "pattern", "*.txt", "excludePatterns", List.of("node_modules"))
                        .lines())
                .containsExactly("/home/s/a.txt", "/home/s/sub/b.txt");
        assertThat(ok("search_files", "path", "/home/s", "pattern", "*.txt", "excludePatterns", List.of("**/b.txt"))
                        .lines())
                .containsExactly("/home/s/a.txt", "/home/s/node_modules/c.txt");
        assertThat(ok("search_files", "path", "/home/s", "pattern", "*.none")).isEqualTo("No matches found");
    }

    @Test
    void fileTools_seeWhatTheSessionWrote() throws Exception {
        run(sandbox, "mkdir -p /var/tmp/w && printf 'from shell' > /var/tmp/w/f");
        assertThat(ok("read_file", "path", "/var/tmp/w/f")).isEqualTo("from shell");
        assertThat(sandbox.files().hostPath("/var/tmp/w/f"))
                .isEqualTo(sandbox.files().sessionDir().resolve("var-tmp/w/f"));
        assertThat(Path.of("/var/tmp/w/f")).doesNotExist();
    }
}
