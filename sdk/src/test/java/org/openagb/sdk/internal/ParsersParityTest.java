package org.openagb.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openagb.sdk.CodeResultItem;
import org.openagb.sdk.CodeRunResult;
import org.openagb.sdk.ContextFileEntry;
import org.openagb.sdk.McpTool;
import org.openagb.sdk.SessionSummary;

/** Parsers of context files, sessions, labels, tools and run_code, fed JSON shaped exactly as WIRE.md shows it. */
class ParsersParityTest {
    private static JsonNode json(String text) {
        return Json.parseOrNull(text);
    }

    private static ToolResponse ok(String text) {
        return new ToolResponse(true, "r-1", "", text);
    }

    @Test
    void contextFiles_readTheWireEntry() {
        JsonNode data = json("[{\"fileId\":\"<id>\",\"fileName\":\"test-file-5kb.txt\","
                + "\"filePath\":\"/tmp/test/test-file-5kb.txt\",\"fileType\":\"file\",\"gmtCreate\":\"…\","
                + "\"gmtModified\":\"…\",\"size\":5120,\"status\":\"ready\"}]");

        assertThat(Parsers.contextFiles(data))
                .containsExactly(new ContextFileEntry(
                        "<id>", "test-file-5kb.txt", "/tmp/test/test-file-5kb.txt", "file", "…", "…", 5120, "ready"));
    }

    @Test
    void contextFiles_ofAnObjectOrNothing_areEmpty() {
        assertThat(Parsers.contextFiles(json("{\"count\":1}"))).isEmpty();
        assertThat(Parsers.contextFiles(null)).isEmpty();
    }

    @Test
    void sessions_readIdAndSessionStatus_skippingItemsWithoutId() {
        JsonNode data = json(
                "[{\"sessionId\":\"s-1\",\"sessionStatus\":\"RUNNING\"},{\"sessionStatus\":\"RUNNING\"},{\"sessionId\":\"s-2\"}]");

        assertThat(Parsers.sessions(data))
                .containsExactly(new SessionSummary("s-1", "RUNNING"), new SessionSummary("s-2", ""));
    }

    @Test
    void labels_parseTheJsonStringOfGetLabel() {
        JsonNode data = json("{\"labels\":\"{\\\"env\\\": \\\"dev\\\", \\\"n\\\": 3}\",\"count\":1}");

        assertThat(Parsers.labels(data.path("labels"))).isEqualTo(Map.of("env", "dev", "n", "3"));
        assertThat(Parsers.labels(json("\"\""))).isEmpty();
        assertThat(Parsers.labels(json("{\"a\":\"b\"}"))).isEqualTo(Map.of("a", "b"));
        assertThatThrownBy(() -> Parsers.labels(json("\"[1]\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot parse labels '[1]': they are not a JSON object");
    }

    @Test
    void mcpTools_parseTheStringOfAJsonArray() {
        String tools = "[{\"name\":\"shell\",\"description\":\"Run\",\"inputSchema\":{\"type\":\"object\","
                + "\"properties\":{\"command\":{\"type\":\"string\"}}},\"server\":\"wuying_shell\",\"tool\":\"shell\"},"
                + "{\"name\":\"run_code\",\"description\":\"Code\",\"inputSchema\":\"{\\\"type\\\":\\\"object\\\"}\","
                + "\"server\":\"wuying_codespace\",\"tool\":\"run_code\"}]";
        JsonNode data = Json.MAPPER.getNodeFactory().textNode(tools);

        List<McpTool> parsed = Parsers.mcpTools(data);

        assertThat(parsed).extracting(McpTool::name).containsExactly("shell", "run_code");
        assertThat(parsed.get(0)
                        .inputSchema()
                        .path("properties")
                        .path("command")
                        .path("type")
                        .asText())
                .isEqualTo("string");
        assertThat(parsed.get(1).inputSchema()).isEqualTo(json("{\"type\":\"object\"}"));
        assertThat(parsed.get(1).server()).isEqualTo("wuying_codespace");
        assertThat(Parsers.mcpTools(json("\"\""))).isEmpty();
        assertThatThrownBy(() -> Parsers.mcpTools(json("\"{}\""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codeRun_parsesTheNewFormatOfWire53() {
        String text = "{\"result\": [ {\"text/plain\": \"42\", \"isMainResult\": true},"
                + " {\"text/html\": \"<h1>x</h1>\", \"image/png\": \"aGk=\","
                + " \"application/vnd.vegalite.v4+json\": {\"mark\": \"bar\"}, \"isMainResult\": false} ],"
                + " \"stdout\": [\"line 1\\n\", \"line 2\\n\"], \"stderr\": [],"
                + " \"execution_count\": 3, \"execution_time\": 0.12}";

        CodeRunResult result = Parsers.codeRun(ok(text));

        assertThat(result.success()).isTrue();
        assertThat(result.requestId()).isEqualTo("r-1");
        assertThat(result.errorMessage()).isEmpty();
        assertThat(result.stdout()).containsExactly("line 1\n", "line 2\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.executionCount()).isEqualTo(3);
        assertThat(result.executionTime()).isEqualTo(0.12);
        assertThat(result.results()).hasSize(2);
        CodeResultItem main = result.results().get(0);
        assertThat(main.isMainResult()).isTrue();
        assertThat(main.text()).contains("42");
        assertThat(main.html()).isEmpty();
        CodeResultItem display = result.results().get(1);
        assertThat(display.isMainResult()).isFalse();
        assertThat(display.html()).contains("<h1>x</h1>");
        assertThat(display.png()).contains("aGk=");
        assertThat(display.vegaLite()).contains(json("{\"mark\":\"bar\"}"));
        assertThat(display.mimeTypes()).containsExactly("text/html", "image/png", "application/vnd.vegalite.v4+json");
        assertThat(result.mainResult()).contains(main);
    }

    @Test
    void codeRun_withAnExecutionError_failsWithIt_keepingTheOutput() {
        String text = "{\"result\": [], \"stdout\": [\"before\\n\"], \"stderr\": [\"Traceback\"],"
                + " \"executionError\": \"NameError: name 'x' is not defined\", \"execution_count\": 3}";

        CodeRunResult result = Parsers.codeRun(ok(text));

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).isEqualTo("NameError: name 'x' is not defined");
        assertThat(result.stdout()).containsExactly("before\n");
        assertThat(result.stderr()).containsExactly("Traceback");
    }

    @Test
    void codeRun_acceptsResultItemsAsJsonStrings_evenEncodedTwice() {
        String once = Json.write("{\"text/plain\":\"1\",\"is_main_result\":true}");
        String twice = Json.write(Json.write("{\"text/markdown\":\"# t\",\"text/latex\":\"$x$\","
                + "\"image/svg+xml\":\"<svg/>\",\"image/jpeg\":\"/9j/\",\"application/json\":{\"a\":1},"
                + "\"application/vnd.vegalite.v5+json\":{\"mark\":\"line\"}}"));
        String text = "{\"result\":[" + once + "," + twice + ",\"plain words\",7]}";

        CodeRunResult result = Parsers.codeRun(ok(text));

        assertThat(result.results()).hasSize(4);
        assertThat(result.results().get(0).isMainResult()).isTrue();
        assertThat(result.results().get(0).text()).contains("1");
        CodeResultItem rich = result.results().get(1);
        assertThat(rich.markdown()).contains("# t");
        assertThat(rich.latex()).contains("$x$");
        assertThat(rich.svg()).contains("<svg/>");
        assertThat(rich.jpeg()).contains("/9j/");
        assertThat(rich.json()).contains(json("{\"a\":1}"));
        assertThat(rich.vegaLite()).contains(json("{\"mark\":\"line\"}"));
        assertThat(result.results().get(2)).isEqualTo(CodeResultItem.ofText("plain words", false));
        assertThat(result.results().get(3)).isEqualTo(CodeResultItem.ofText("7", false));
    }

    @Test
    void codeResultItem_jsonOfAString_isParsedWhenItIsJson_andAChartMustBeAnObject() {
        CodeResultItem item = Parsers.resultItem(
                json("{\"application/json\":\"[1,2]\"," + "\"application/vnd.vegalite.v4+json\":\"not a chart\"}"));

        assertThat(item.json()).contains(json("[1,2]"));
        assertThat(item.vegaLite()).isEmpty();
        assertThat(Parsers.resultItem(json("{\"application/json\":\"hello\"}")).json())
                .contains(Json.MAPPER.getNodeFactory().textNode("hello"));
    }

    @Test
    void codeRun_ofTextThatIsNotJson_isTheMainResult() {
        CodeRunResult result = Parsers.codeRun(ok("hello"));

        assertThat(result.success()).isTrue();
        assertThat(result.results()).containsExactly(CodeResultItem.ofText("hello", true));
        assertThat(result.stdout()).containsExactly("hello");
    }

    @Test
    void codeRun_ofAToolFailureOrNoData_fails() {
        CodeRunResult failed = Parsers.codeRun(new ToolResponse(false, "r-2", "Cannot start python: boom", "x"));
        CodeRunResult empty = Parsers.codeRun(ok(""));

        assertThat(failed.success()).isFalse();
        assertThat(failed.requestId()).isEqualTo("r-2");
        assertThat(failed.errorMessage()).isEqualTo("Cannot start python: boom");
        assertThat(empty.success()).isFalse();
        assertThat(empty.errorMessage()).contains("no data returned");
    }

    @Test
    void codeRun_readsTheOlderRichAndLegacyFormats() {
        CodeRunResult rich = Parsers.codeRun(ok("{\"logs\":{\"stdout\":[\"o\"],\"stderr\":[]},"
                + "\"results\":[{\"text\":\"2\",\"is_main_result\":true}],\"isError\":false}"));
        CodeRunResult legacy = Parsers.codeRun(ok("{\"content\":[{\"text\":\"3\"}]}"));

        assertThat(rich.success()).isTrue();
        assertThat(rich.stdout()).containsExactly("o");
        assertThat(rich.mainResult().flatMap(CodeResultItem::text)).contains("2");
        assertThat(legacy.mainResult().flatMap(CodeResultItem::text)).contains("3");
    }
}
