package org.openagb.server.internal.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One client WebSocket relayed to the node that runs its session: text frames go both ways in order, a close on
 * either side closes the other. The node that answers checks the token and the key again; this one only found out
 * where the session runs. Thread-safe.
 */
final class WsRelay {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Session client;
    private final WebSocket remote;
    /** Sends to the remote node, one at a time (the client API allows one outstanding send). */
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private WsRelay(Session client, WebSocket remote) {
        this.client = client;
        this.remote = remote;
    }

    /**
     * Opens the remote side; the client's messages wait until it is open.
     *
     * @param target the session's WebSocket URL on its node
     * @param headers what to send along (the token, the API key, the forwarding headers)
     */
    static WsRelay open(Session client, URI target, Map<String, String> headers) throws Exception {
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3));
        headers.forEach(builder::header);
        WebSocket remote = builder.buildAsync(target, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (!last) {
                            ws.request(1);
                            return null;
                        }
                        String text = partial.toString();
                        partial.setLength(0);
                        CompletableFuture<Void> sent = new CompletableFuture<>();
                        client.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
                        return sent.whenComplete((v, e) -> ws.request(1));
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        client.close(status, reason, Callback.NOOP);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        client.close(1011, "the session's node closed the connection", Callback.NOOP);
                    }

                    @Override
                    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
                        ws.request(1);
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);
        return new WsRelay(client, remote);
    }

    synchronized void onClientText(String text) {
        sending = sending.thenCompose(v -> remote.sendText(text, true));
    }

    synchronized void onClientClosed(int code, String reason) {
        int status = code >= 1000 && code < 5000 && code != 1005 && code != 1006 ? code : 1000;
        sending = sending.thenCompose(v -> remote.sendClose(status, reason == null ? "" : reason));
    }
}
