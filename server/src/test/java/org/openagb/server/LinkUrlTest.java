package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The LinkUrl route, as the official SDKs use it once createSession returned a {@code linkUrl} and a {@code token}:
 * {@code POST <linkUrl>/callTool} with the token in {@code X-Access-Token}, no API key.
 */
class LinkUrlTest extends ServerTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Link(String sessionId, String linkUrl, String token) {}

    static Link createLinked() {
        WireClient.Reply created = wire.createSession(Map.of());
        assertThat(created.success()).as(created.body().toString()).isTrue();
        JsonNode d = created.data();
        return new Link(
                d.path("sessionId").asText(),
                d.path("linkUrl").asText(),
                d.path("token").asText());
    }

    static HttpResponse<String> callTool(String linkUrl, String token, String tool, Map<String, Object> args)
            throws Exception {
        Map<String, Object> payload =
                Map.of("args", args, "server", "wuying_shell", "requestId", "link-1", "tool", tool, "token", token);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(linkUrl + "/callTool"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(WireClient.JSON.writeValueAsString(payload)));
        if (!token.isEmpty()) {
            request.header("X-Access-Token", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode result(HttpResponse<String> response) throws Exception {
        return WireClient.JSON.readTree(response.body()).path("data").path("result");
    }

    @Test
    void createSession_returnsALinkUrlAndToken_andCallToolRunsTheSameToolsAsMcp() throws Exception {
        Link link = createLinked();

        HttpResponse<String> shell =
                callTool(link.linkUrl(), link.token(), "shell", Map.of("command", "echo via-link"));
        HttpResponse<String> failing = callTool(link.linkUrl(), link.token(), "shell", Map.of("command", "exit 3"));
        HttpResponse<String> file =
                callTool(link.linkUrl(), link.token(), "write_file", Map.of("path", "/tmp/l.txt", "content", "linked"));

        assertThat(link.linkUrl()).isEqualTo(server.baseUrl() + "/link/" + link.sessionId());
        assertThat(link.token()).isNotBlank();
        assertThat(shell.statusCode()).isEqualTo(200);
        assertThat(result(shell).path("isError").asBoolean()).isFalse();
        assertThat(WireClient.JSON
                        .readTree(result(shell)
                                .path("content")
                                .path(0)
                                .path("text")
                                .asText())
                        .path("stdout")
                        .asText())
                .isEqualTo("via-link\n");
        assertThat(result(failing).path("isError").asBoolean()).isTrue();
        assertThat(result(file).path("isError").asBoolean()).isFalse();
        assertThat(wire.shell(link.sessionId(), "cat /tmp/l.txt")).isEqualTo("linked");
        wire.release(link.sessionId());
    }

    @Test
    void getSession_answersTheSameLinkUrlAndToken() {
        Link link = createLinked();

        WireClient.Reply got = wire.post("/mcp/getSession", Map.of("sessionId", link.sessionId()), null);

        assertThat(got.data().path("linkUrl").asText()).isEqualTo(link.linkUrl());
        assertThat(got.data().path("token").asText()).isEqualTo(link.token());
        wire.release(link.sessionId());
    }

    @Test
    void aWrongTokenAnotherSessionsTokenOrNoToken_isRefused_andNothingRuns() throws Exception {
        Link mine = createLinked();
        Link other = createLinked();
        String marker = "touch /tmp/ran";

        HttpResponse<String> wrong = callTool(mine.linkUrl(), mine.token() + "x", "shell", Map.of("command", marker));
        HttpResponse<String> borrowed = callTool(mine.linkUrl(), other.token(), "shell", Map.of("command", marker));
        HttpResponse<String> none = callTool(mine.linkUrl(), "", "shell", Map.of("command", marker));
        HttpResponse<String> apiKeyInstead = callTool(mine.linkUrl(), key, "shell", Map.of("command", marker));

        for (HttpResponse<String> refused : new HttpResponse[] {wrong, borrowed, none, apiKeyInstead}) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("access token is not this session's");
        }
        assertThat(wire.shell(mine.sessionId(), "test -e /tmp/ran && echo ran || echo clean"))
                .isEqualTo("clean\n");
        wire.release(mine.sessionId());
        wire.release(other.sessionId());
    }

    @Test
    void aReleasedSessionsLink_answersNotFound() throws Exception {
        Link link = createLinked();
        wire.release(link.sessionId());
        wire.awaitGone(link.sessionId(), 30_000);

        HttpResponse<String> after = callTool(link.linkUrl(), link.token(), "shell", Map.of("command", "echo hi"));

        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).contains(link.sessionId()).contains("not running");
    }
}
