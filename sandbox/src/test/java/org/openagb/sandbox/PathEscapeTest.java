package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file tool refuses paths that lead out of the session, by {@code ..} or by symlinks the session made. */
class PathEscapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUTSIDE = "outside the session's writable roots (/home, /tmp, /var/tmp)";
    private static final Tools TOOLS = new Tools();

    @TempDir
    static Path temp;

    static Sandbox sandbox;
    static Sandbox neighbour;

    @BeforeAll
    static void startSandboxAndPlantLinks() {
        sandbox = SandboxExtensionSupport.RUNTIME.start(SandboxSpec.of("escape", temp.resolve("escape")));
        neighbour = SandboxExtensionSupport.RUNTIME.start(SandboxSpec.of("neighbour", temp.resolve("neighbour")));
        CommandResult planted = SandboxExtensionSupport.run(
                sandbox,
                String.join(
                        " && ",
                        "ln -s / /home/root",
                        "ln -s ../../etc /home/rel",
                        "ln -s /home/hop2 /home/hop1",
                        "ln -s ../usr/lib /tmp/hop3 && ln -s /tmp/hop3 /home/hop2",
                        "ln -s /etc/openagb-escape-test /home/dangling",
                        "ln -s /proc/1/root /home/proc",
                        "ln -s /home/loop /home/loop",
                        "mkdir -p /home/inside && echo ok > /tmp/target && ln -s /tmp/target /home/inside/good"));
        assertThat(planted.exitCode()).as(planted.stderr()).isZero();
    }

    @AfterAll
    static void close() {
        sandbox.close();
        neighbour.close();
    }

    static Stream<String> escapingPaths() {
        return Stream.of(
                "/home/../etc/passwd",
                "/../etc/passwd",
                "/etc/passwd",
                "/home/root/etc/passwd",
                "/home/rel/passwd",
                "/home/hop1/os-release",
                "/home/dangling",
                "/home/proc/etc/passwd",
                "/home/root",
                "/");
    }

    /** Each tool, applied to one path argument. */
    static Stream<Arguments> toolsAndPaths() {
        Map<String, Function<String, Map<String, Object>>> tools = new LinkedHashMap<>();
        tools.put("read_file", p -> Map.of("path", p));
        tools.put("read_file(binary)", p -> Map.of("path", p, "format", "binary"));
        tools.put("write_file", p -> Map.of("path", p, "content", "pwned", "mode", "overwrite"));
        tools.put("write_file(append)", p -> Map.of("path", p, "content", "pwned", "mode", "append"));
        tools.put("write_file(create_new)", p -> Map.of("path", p, "content", "pwned", "mode", "create_new"));
        tools.put("list_directory", p -> Map.of("path", p));
        tools.put("create_directory", p -> Map.of("path", p + "/sub"));
        tools.put("get_file_info", p -> Map.of("path", p));
        tools.put("delete_file", p -> Map.of("path", p + "/x"));
        // move_file and delete_file act on a final symlink itself (harmless), so the link is made a parent here.
        tools.put("move_file(source)", p -> Map.of("source", p + "/x", "destination", "/home/stolen"));
        tools.put("move_file(destination)", p -> Map.of("source", "/tmp/target", "destination", p + "/planted"));
        tools.put("edit_file", p -> Map.of("path", p, "edits", List.of(Map.of("oldText", "root", "newText", "x"))));
        tools.put("search_files", p -> Map.of("path", p, "pattern", "passwd"));
        return tools.entrySet().stream()
                .flatMap(t -> escapingPaths()
                        .map(p -> Arguments.of(t.getKey(), p, t.getValue().apply(p))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("toolsAndPaths")
    void fileTool_pathLeadingOutOfSession_isRefused(String label, String path, Map<String, Object> args)
            throws Exception {
        String tool = label.replaceAll("\\(.*\\)", "");
        ToolResult result = TOOLS.call(sandbox, tool, JSON.writeValueAsString(args));
        assertThat(result.isError()).as(result.text()).isTrue();
        assertThat(result.text()).containsAnyOf(OUTSIDE, "'..' leads above / (remove it)");
        assertThat(result.text()).contains("'" + path);
        assertThat(Path.of("/etc/openagb-escape-test")).doesNotExist();
        assertThat(Path.of("/etc/passwd")).content().doesNotContain("pwned").contains("root");
        assertThat(Path.of("/tmp/target")).doesNotExist();
        assertThat(sandbox.files().hostPath("/tmp/target")).hasContent("ok\n");
    }

    @Test
    void readMultipleFiles_escapingPaths_areRefusedPerFile() throws Exception {
        List<String> paths = escapingPaths().toList();
        ToolResult result = TOOLS.call(sandbox, "read_multiple_files", JSON.writeValueAsString(Map.of("paths", paths)));
        assertThat(result.isError()).isFalse();
        assertThat(result.text()).doesNotContain("root:x:0:0");
        assertThat(result.text().split("\n---\n"))
                .hasSize(paths.size())
                .allMatch(b -> b.contains(": Error - Cannot read '"));
    }

    @Test
    void symlinkMessage_namesWhereTheLinkLeads() throws Exception {
        ToolResult result = TOOLS.call(sandbox, "read_file", "{\"path\":\"/home/rel/passwd\"}");
        assertThat(result.text())
                .isEqualTo("Cannot read '/home/rel/passwd': it resolves to '/etc/passwd', which is " + OUTSIDE);
    }

    @Test
    void symlinkLoop_isRefused() {
        ToolResult result = TOOLS.call(sandbox, "read_file", "{\"path\":\"/home/loop\"}");
        assertThat(result.text())
                .isEqualTo("Cannot read '/home/loop': too many levels of symbolic links (more than 40)");
    }

    @Test
    void symlinkInsideSession_isFollowed() {
        assertThat(TOOLS.call(sandbox, "read_file", "{\"path\":\"/home/inside/good\"}")
                        .text())
                .isEqualTo("ok\n");
        assertThat(TOOLS.call(sandbox, "list_directory", "{\"path\":\"/home/inside\"}")
                        .text())
                .isEqualTo("[FILE] good");
    }

    @Test
    void deleteFile_ofSymlink_removesTheLinkNotItsTarget() throws Exception {
        SandboxExtensionSupport.run(sandbox, "ln -s /tmp/target /home/todelete");
        ToolResult result = TOOLS.call(sandbox, "delete_file", "{\"path\":\"/home/todelete\"}");
        assertThat(result.isError()).as(result.text()).isFalse();
        assertThat(sandbox.files().hostPath("/tmp/target")).hasContent("ok\n");
    }

    @Test
    void linkToNeighbourHostPath_resolvesInsideOwnSession() throws Exception {
        Files.writeString(neighbour.files().hostPath("/home/secret"), "neighbour secret");
        Path neighbourHost = neighbour.files().hostPath("/home/secret");
        SandboxExtensionSupport.run(sandbox, "ln -sf " + neighbourHost + " /home/peek");
        ToolResult result = TOOLS.call(sandbox, "read_file", "{\"path\":\"/home/peek\"}");
        assertThat(result.text()).doesNotContain("neighbour secret");
        assertThat(SandboxExtensionSupport.run(sandbox, "cat " + neighbourHost).stdout())
                .doesNotContain("neighbour secret");
    }

    @Test
    void sessionFiles_hostPath_refusesEscapesWithClearMessage() {
        assertThatThrownBy(() -> sandbox.files().hostPath("/home/root/etc"))
                .isInstanceOf(SandboxException.class)
                .hasMessage("Cannot access '/home/root/etc': it resolves to '/etc', which is " + OUTSIDE);
        assertThatThrownBy(() -> sandbox.files().ensureDirectory("/opt/mount"))
                .isInstanceOf(SandboxException.class)
                .hasMessage("Cannot create directory '/opt/mount': " + OUTSIDE);
        assertThatThrownBy(() -> sandbox.files().hostPath("/home/a\0b"))
                .hasMessage("Cannot access '/home/a\0b': the path contains a NUL character");
        assertThat(sandbox.files().ensureDirectory("/home/mnt/ctx/")).isDirectory();
    }
}
