package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /internet/getLink}: a URL that forwards HTTP to a port inside the session, as an agent's dev server needs,
 * and nothing else: one session, one port, only through a link its owner was given.
 */
class PortLinkTest extends ServerTestBase {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An echo server: answers method, path, query, one header and the body it got. */
    private static final String ECHO_SERVER = String.join(
            "\n",
            "import http.server, sys",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    def answer(self):",
            "        n = int(self.headers.get('Content-Length') or 0)",
            "        body = self.rfile.read(n).decode()",
            "        text = '%s %s x=%s body=%s' % (self.command, self.path, self.headers.get('X-Test'), body)",
            "        data = text.encode()",
            "        self.send_response(201 if self.command == 'POST' else 200)",
            "        self.send_header('Content-Type', 'text/plain')",
            "        self.send_header('X-Echo', 'yes')",
            "        self.send_header('Content-Length', str(len(data)))",
            "        self.end_headers()",
            "        self.wfile.write(data)",
            "    do_GET = do_POST = do_PUT = do_DELETE = answer",
            "    def log_message(self, *a): pass",
            "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()");

    static void startEchoServer(String session, int port) {
        wire.shell(
                session,
                "cat > /tmp/echo.py <<'EOF'\n" + ECHO_SERVER + "\nEOF\n"
                        + "nohup python3 /tmp/echo.py " + port + " > /tmp/echo.log 2>&1 &\n"
                        + "for i in $(seq 50); do python3 -c \"import socket; socket.create_connection(('127.0.0.1', "
                        + port
                        + "))\" 2>/dev/null && break; sleep 0.1; done");
    }

    static WireClient.Reply getLink(String session, Object port) {
        return wire.get("/internet/getLink", Map.of("sessionId", session, "port", String.valueOf(port)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLink_forwardsMethodPathQueryHeadersAndBody_toThePortInsideTheSession() throws Exception {
        String session = wire.session();
        startEchoServer(session, 8080);

        WireClient.Reply link = getLink(session, 8080);
        String url = link.data().path("url").asText();
        HttpResponse<String> get =
                send(HttpRequest.newBuilder(URI.create(url + "api/items?q=1")).header("X-Test", "t1"));
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(url + "submit"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")));

        assertThat(link.success()).as(link.body().toString()).isTrue();
        assertThat(url).startsWith(server.baseUrl() + "/p/").endsWith("/");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("GET /api/items?q=1 x=t1 body=");
        assertThat(get.headers().firstValue("X-Echo")).contains("yes");
        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(post.body()).isEqualTo("POST /submit x=None body=payload");
        wire.release(session);
    }

    @Test
    void theRelayInsideTheSession_carriesNoneOfTheServersEnvironment() throws Exception {
        // The server's own variables (in production: the database password, S3 keys) must not reach the session,
        // which can read /proc/<pid>/environ of the relay while it forwards a request.
        java.util.Set<String> serverOnly =
                new java.util.TreeSet<>(System.getenv().keySet());
        serverOnly.removeAll(
                org.openagb.sandbox.SandboxConfig.defaults().baseEnv().keySet());
        serverOnly.removeAll(java.util.List.of("PWD", "OLDPWD", "SHLVL", "_")); // every shell keeps these
        assertThat(serverOnly).as("the test JVM has variables of its own").isNotEmpty();
        String session = wire.session();
        wire.shell(
                session,
                "cat > /tmp/slow.py <<'EOF'\n"
                        + "import http.server, time\n"
                        + "class H(http.server.BaseHTTPRequestHandler):\n"
                        + "    def do_GET(self):\n"
                        + "        time.sleep(3)\n"
                        + "        self.send_response(200); self.send_header('Content-Length', '2'); self.end_headers()\n"
                        + "        self.wfile.write(b'ok')\n"
                        + "http.server.HTTPServer(('127.0.0.1', 8085), H).serve_forever()\n"
                        + "EOF\n"
                        + "nohup python3 /tmp/slow.py > /dev/null 2>&1 &\n"
                        + "for i in $(seq 50); do python3 -c \"import socket; socket.create_connection(('127.0.0.1', 8085))\""
                        + " 2>/dev/null && break; sleep 0.1; done");
        String url = getLink(session, 8085).data().path("url").asText();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> request =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(HttpRequest.newBuilder(URI.create(url)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        WireClient.sleep(1000);

        String seen = wire.shell(
                session,
                "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null"
                        + " | grep -q '^/.openagb/enter / --connect 8085' && echo RELAY && tr '\\0' '\\n' < $p/environ"
                        + " | cut -d= -f1; done; true");

        assertThat(request.get(30, java.util.concurrent.TimeUnit.SECONDS).body())
                .isEqualTo("ok");
        assertThat(seen.lines().filter("RELAY"::equals).count())
                .as("the relay was running and readable: %s", seen)
                .isEqualTo(1);
        assertThat(seen.lines()).doesNotContainAnyElementsOf(serverOnly);
        wire.release(session);
    }

    @Test
    void aLink_reachesOnlyItsOwnSession_evenOnAPortAnotherSessionListensOn() throws Exception {
        String mine = wire.session();
        String other = wire.session();
        startEchoServer(other, 8081);

        String url = getLink(mine, 8081).data().path("url").asText();
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("nothing accepts connections on port 8081");
        wire.release(mine);
        wire.release(other);
    }

    @Test
    void aTamperedToken_orOneMovedToAnotherSessionOrPort_isRefused() throws Exception {
        String mine = wire.session();
        String other = wire.session();
        startEchoServer(other, 8082);
        String url = getLink(mine, 8082).data().path("url").asText();
        String token = url.substring(url.indexOf("/p/") + 3, url.length() - 1);
        String[] parts = token.split("\\.");

        String toOtherSession = server.baseUrl() + "/p/" + other + "." + parts[1] + "." + parts[2] + "/";
        String toOtherPort = server.baseUrl() + "/p/" + parts[0] + ".8083." + parts[2] + "/";
        String garbled = server.baseUrl() + "/p/" + token + "x/";

        for (String forged : new String[] {toOtherSession, toOtherPort, garbled}) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(forged)));
            assertThat(r.statusCode()).as(forged).isEqualTo(403);
            assertThat(r.body()).contains("not valid");
        }
        wire.release(mine);
        wire.release(other);
    }

    @Test
    void getLink_refusesPortsOutsideTheRange_andOtherKeysSessions_andUnknownProtocols() {
        String session = wire.session();

        WireClient.Reply low = getLink(session, 80);
        WireClient.Reply text = getLink(session, "http");
        WireClient.Reply ftp =
                wire.get("/internet/getLink", Map.of("sessionId", session, "port", "8080", "protocolType", "ftp"));
        WireClient.Reply anonymous = new WireClient(server.baseUrl(), "wrong-key")
                .get("/internet/getLink", Map.of("sessionId", session, "port", "8080"));

        assertThat(low.status()).isEqualTo(400);
        assertThat(low.message()).contains("port 80").contains("1024-65535");
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.message()).contains("'http'");
        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.message()).contains("'ftp'").contains("http or https");
        assertThat(anonymous.success()).isFalse();
        wire.release(session);
    }

    @Test
    void aLink_stopsWorkingWhenItsSessionIsReleased() throws Exception {
        String session = wire.session();
        startEchoServer(session, 8084);
        String url = getLink(session, 8084).data().path("url").asText();
        assertThat(send(HttpRequest.newBuilder(URI.create(url))).statusCode()).isEqualTo(200);

        wire.release(session);
        wire.awaitGone(session, 30_000);

        HttpResponse<String> after = send(HttpRequest.newBuilder(URI.create(url)));
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).contains("not running");
    }
}
