package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may open a session's {@code wsUrl}: only with that session's token, only while the session runs, and only for
 * the API key that owns it. Real server, real sandboxes, the JDK's WebSocket client.
 */
class WebSocketAuthTest extends ServerTestBase {
    record Created(String id, String wsUrl, String token) {}

    private static Created create(WireClient client) {
        WireClient.Reply r = client.createSession(Map.of());
        assertThat(r.success()).as(r.body().toString()).isTrue();
        return new Created(
                r.data().path("sessionId").asText(),
                r.data().path("wsUrl").asText(),
                r.data().path("token").asText());
    }

    private static void assertRuns(WsTestClient ws) {
        ws.runCode("inv-check", "python", "1 + 1");
        List<WsTestClient.Received> frames = ws.untilEnd("inv-check", 60);
        assertThat(frames.get(frames.size() - 1).data().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void theSessionsOwnToken_opensIt_inTheHeaderOrAsAQueryParameter() {
        Created s = create(wire);
        try (WsTestClient ws = WsTestClient.connect(s.wsUrl(), s.token())) {
            assertRuns(ws);
        }
        try (WsTestClient ws = WsTestClient.connect(s.wsUrl() + "?token=" + s.token(), Map.of())) {
            assertRuns(ws);
        }
        try (WsTestClient ws = WsTestClient.connect(
                s.wsUrl(), Map.of("X-Access-Token", s.token(), "Authorization", "Bearer " + key))) {
            assertRuns(ws);
        }
        wire.release(s.id());
    }

    @Test
    void aMissingOrWrongToken_isRefusedAtTheUpgrade() {
        Created s = create(wire);
        WsTestClient.Refused missing = WsTestClient.refused(s.wsUrl(), Map.of());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body())
                .contains("Missing token for the WebSocket of session '" + s.id() + "'")
                .contains("X-Access-Token");

        WsTestClient.Refused wrong = WsTestClient.refused(s.wsUrl(), Map.of("X-Access-Token", "wst-forged"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).contains("The token is not the token of session '" + s.id() + "'");
        wire.release(s.id());
    }

    @Test
    void anotherSessionsToken_isRefused() {
        Created a = create(wire);
        Created b = create(wire);
        WsTestClient.Refused refused = WsTestClient.refused(a.wsUrl(), Map.of("X-Access-Token", b.token()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("The token is not the token of session '" + a.id() + "'");
        wire.release(a.id());
        wire.release(b.id());
    }

    @Test
    void anotherApiKey_cannotOpenTheSession_withItsOwnTokenItsKeyOrByAskingForTheToken() {
        Created mine = create(wire);
        WireClient stranger = wire.withKey(server.createApiKey("ws-stranger"));
        Created theirs = create(stranger);

        assertThat(WsTestClient.refused(mine.wsUrl(), Map.of("X-Access-Token", theirs.token()))
                        .status())
                .isEqualTo(403);
        WsTestClient.Refused withTheirKey = WsTestClient.refused(
                mine.wsUrl(), Map.of("X-Access-Token", mine.token(), "Authorization", "Bearer akm-not-a-key"));
        assertThat(withTheirKey.status()).isEqualTo(401);
        String strangerKey = server.createApiKey("ws-stranger-2");
        WsTestClient.Refused otherOwner = WsTestClient.refused(
                mine.wsUrl(), Map.of("X-Access-Token", mine.token(), "Authorization", "Bearer " + strangerKey));
        assertThat(otherOwner.status()).isEqualTo(403);
        assertThat(otherOwner.body()).contains("belongs to another API key than the one sent");
        WireClient.Reply asked = stranger.post("/mcp/getSession", Map.of(), Map.of("sessionId", mine.id()));
        assertThat(asked.success()).as("the token is only handed to the owner").isFalse();

        wire.release(mine.id());
        stranger.release(theirs.id());
    }

    @Test
    void anUnknownSession_isRefused() {
        String unknown = "session-00000000000000000000";
        WsTestClient.Refused noToken = WsTestClient.refused(
                "ws://127.0.0.1:" + server.port() + "/ws/" + unknown, Map.of("X-Access-Token", "wst-x"));
        assertThat(noToken.status()).isEqualTo(403);
        // Even with the right token for that id (as if it had existed), a session not running here is refused.
        String tokenForIt = new org.openagb.server.internal.session.LinkTokens(
                        org.openagb.server.internal.files.UrlSigner.open(dataDir, java.time.Clock.systemUTC())
                                .deriveKey("link-token"))
                .tokenFor(unknown);
        WsTestClient.Refused notRunning = WsTestClient.refused(
                "ws://127.0.0.1:" + server.port() + "/ws/" + unknown, Map.of("X-Access-Token", tokenForIt));
        assertThat(notRunning.status()).isEqualTo(404);
        assertThat(notRunning.body()).contains("Session '" + unknown + "' is not running on this server");
    }

    @Test
    void releasingTheSession_closesItsSockets_andItsTokenOpensNothingAfterwards() {
        Created s = create(wire);
        WsTestClient ws = WsTestClient.connect(s.wsUrl(), s.token());
        assertRuns(ws);
        wire.release(s.id());

        WsTestClient.Closed closed = ws.awaitClose(30);
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(closed.reason()).isEqualTo("session " + s.id() + " was released");
        WsTestClient.Refused after = WsTestClient.refused(s.wsUrl(), Map.of("X-Access-Token", s.token()));
        assertThat(after.status()).isEqualTo(404);
    }

    @Test
    void aRevokedOwnerKey_cannotOpenItsSessionsSocket() {
        String doomedKey = server.createApiKey("ws-doomed");
        WireClient doomed = wire.withKey(doomedKey);
        Created s = create(doomed);
        try (KeyAdmin admin = KeyAdmin.open(dataDir)) {
            assertThat(admin.revoke("ws-doomed")).isTrue();
        }
        WsTestClient.Refused refused = WsTestClient.refused(s.wsUrl(), Map.of("X-Access-Token", s.token()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("The API key that owns session '" + s.id() + "' was revoked");
    }
}
