package org.openagb.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.ContextStatus;
import org.openagb.sdk.FileEntry;
import org.openagb.sdk.FileInfo;

class ParsersTest {

    @Test
    void shellSuccessJson_givesOutputAndExitCode() {
        CommandResult result = Parsers.shell(new ToolResponse(
                true, "r-1", "", "{\"stdout\":\"hi\\n\",\"stderr\":\"warn\",\"exit_code\":0,\"traceId\":\"\"}"));

        assertThat(result).isEqualTo(new CommandResult(true, "r-1", "", "hi\nwarn", 0, "hi\n", "warn"));
    }

    @Test
    void shellIsErrorJson_givesExitCodeAndStderrAsMessage() {
        String text = "{\"stdout\":\"\",\"stderr\":\"ls: cannot access '/nope'\",\"exit_code\":2,\"traceId\":\"\"}";

        CommandResult result = Parsers.shell(new ToolResponse(false, "r-2", text, text));

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorMessage()).isEqualTo("ls: cannot access '/nope'");
        assertThat(result.stderr()).isEqualTo("ls: cannot access '/nope'");
    }

    @Test
    void shellIsErrorWithErrorCodeAndNoStderr_usesRawText() {
        String text = "{\"stdout\":\"x\",\"stderr\":\"\",\"errorCode\":124}";

        CommandResult result = Parsers.shell(new ToolResponse(false, "r", text, text));

        assertThat(result.exitCode()).isEqualTo(124);
        assertThat(result.errorMessage()).isEqualTo(text);
        assertThat(result.output()).isEqualTo("x");
    }

    @Test
    void shellSuccessWithNonZeroExit_failsWithEmptyMessage() {
        CommandResult result =
                Parsers.shell(new ToolResponse(true, "r", "", "{\"stdout\":\"\",\"stderr\":\"e\",\"exit_code\":1}"));

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errorMessage()).isEmpty();
    }

    @Test
    void shellNonJsonText_isTheOutputOfASuccess() {
        CommandResult result = Parsers.shell(new ToolResponse(true, "r", "", "plain output"));

        assertThat(result).isEqualTo(new CommandResult(true, "r", "", "plain output", 0, "plain output", ""));
    }

    @Test
    void shellEnvelopeFailure_keepsTheEnvelopeMessage() {
        CommandResult result = Parsers.shell(new ToolResponse(false, "r", "Resource [Session] is not found", null));

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).isEqualTo("Resource [Session] is not found");
    }

    @Test
    void fileInfo_splitsAtTheFirstColonAndTypesSizeAndDirectory() {
        FileInfo info = Parsers.fileInfo("name: f.txt\npath: /tmp/f.txt\nsize: 123\nisDirectory: false\n"
                + "modTime: 2025-01-01T00:00:00Z\nmode: -rw-r--r--\n");

        assertThat(info.name()).isEqualTo("f.txt");
        assertThat(info.path()).isEqualTo("/tmp/f.txt");
        assertThat(info.size()).isEqualTo(123);
        assertThat(info.directory()).isFalse();
        assertThat(info.modTime()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(info.mode()).isEqualTo("-rw-r--r--");
        assertThat(info.attributes()).containsEntry("size", "123").hasSize(6);
    }

    @Test
    void fileInfoOfDirectory_isDirectory() {
        assertThat(Parsers.fileInfo("size: 4096\nisDirectory: true").directory())
                .isTrue();
    }

    @Test
    void listDirectory_parsesDirAndFileLinesAndIgnoresOthers() {
        assertThat(Parsers.directory("[DIR] src\n[FILE] a b.txt\nsomething else\n\n"))
                .containsExactly(new FileEntry("src", true), new FileEntry("a b.txt", false));
        assertThat(Parsers.directory("")).isEmpty();
    }

    @Test
    void search_parsesPathsOrNoMatches() {
        assertThat(Parsers.searchMatches("/tmp/a.txt\n/tmp/d/b.txt\n")).containsExactly("/tmp/a.txt", "/tmp/d/b.txt");
        assertThat(Parsers.searchMatches("No matches found")).isEmpty();
    }

    @Test
    void batch_parsesPathBlocksSeparatedByDashes() {
        assertThat(Parsers.batch("/tmp/a.txt:\nline 1\nline 2\n\n---\n/tmp/b.txt: Error - not found\n"))
                .containsExactly(
                        java.util.Map.entry("/tmp/a.txt", "line 1\nline 2"),
                        java.util.Map.entry("/tmp/b.txt", "Error - not found"));
    }

    @Test
    void contextStatus_decodesTheDoublyEncodedWireExample() throws Exception {
        String envelope = "{\"success\":true,\"code\":\"ok\",\"message\":\"\",\"httpStatusCode\":200,"
                + "\"requestId\":\"req-1\",\"data\":{\"contextStatus\":\"[{\\\"type\\\":\\\"data\\\",\\\"data\\\":"
                + "\\\"[{\\\\\\\"contextId\\\\\\\":\\\\\\\"SdkCtx-1\\\\\\\",\\\\\\\"path\\\\\\\":\\\\\\\"/home/data"
                + "\\\\\\\",\\\\\\\"errorMessage\\\\\\\":\\\\\\\"\\\\\\\",\\\\\\\"status\\\\\\\":\\\\\\\"Success"
                + "\\\\\\\",\\\\\\\"startTime\\\\\\\":1717000000000,\\\\\\\"finishTime\\\\\\\":1717000001500,"
                + "\\\\\\\"taskType\\\\\\\":\\\\\\\"download\\\\\\\"}]\\\"}]\"}}";

        var statuses = Parsers.contextStatus(
                Json.MAPPER.readTree(envelope).path("data").path("contextStatus"));

        assertThat(statuses)
                .containsExactly(new ContextStatus(
                        "SdkCtx-1", "/home/data", "", "Success", 1717000000000L, 1717000001500L, "download"));
    }

    @Test
    void contextStatus_skipsOtherTypesAndTreatsEmptyAsNoTasks() {
        String outer = "[{\"type\":\"log\",\"data\":\"x\"},{\"type\":\"data\",\"data\":"
                + Json.write("[{\"contextId\":\"c\",\"path\":\"/p\",\"status\":\"Running\",\"taskType\":\"upload\"}]")
                + "}]";

        assertThat(Parsers.contextStatus(new TextNode(outer))).singleElement().satisfies(status -> {
            assertThat(status.status()).isEqualTo("Running");
            assertThat(status.finished()).isFalse();
            assertThat(status.errorMessage()).isEmpty();
        });
        assertThat(Parsers.contextStatus(new TextNode(""))).isEmpty();
        assertThat(Parsers.contextStatus(new TextNode("[]"))).isEmpty();
    }

    @Test
    void contextStatusThatIsNotJson_failsNamingIt() {
        assertThatThrownBy(() -> Parsers.contextStatus(new TextNode("[{'type': 'data'}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot parse contextStatus '[{'type': 'data'}]': it is not a JSON array (the server must"
                        + " send a JSON-encoded string, WIRE.md §6.5)");
    }

    @Test
    void formEncode_usesPlusForSpacesAndSkipsNulls() {
        assertThat(ApiClient.formEncode(ApiClient.query("labels", "{\"k\": \"v\"}", "nextToken", null, "a", "1")))
                .isEqualTo("?labels=%7B%22k%22%3A+%22v%22%7D&a=1");
    }
}
