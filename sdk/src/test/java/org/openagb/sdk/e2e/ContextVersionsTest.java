package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.ok;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextVersion;
import org.openagb.sdk.ContextVersionChange;
import org.openagb.sdk.ContextVersionDiffResult;
import org.openagb.sdk.ContextVersionListResult;
import org.openagb.sdk.ContextVersionRestoreResult;
import org.openagb.sdk.Session;

/** agb.context() versions against a real server: list, diff, restore (byte for byte), a read-only version mount. */
class ContextVersionsTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static AGB agb;

    @BeforeAll
    static void client() {
        agb = SERVER.agb();
    }

    private static void put(AGB agb, String contextId, String path, byte[] bytes) throws Exception {
        String url = ok(agb.context().getFileUploadUrl(contextId, path)).url();
        int status = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(200);
    }

    private static byte[] get(AGB agb, String contextId, String path) throws Exception {
        String url = ok(agb.context().getFileDownloadUrl(contextId, path)).url();
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    @Test
    void listDiffAndRestore_bringBackTheOldBytes() throws Exception {
        Context context = E2e.newContext(agb, "sdk-versions");
        byte[] original = new byte[1_500_000];
        new Random(7).nextBytes(original);
        put(agb, context.id(), "/home/data/model.bin", original);
        byte[] changed = original.clone();
        changed[123_456] ^= 0x5a;
        put(agb, context.id(), "/home/data/model.bin", changed);
        put(agb, context.id(), "/home/data/extra.txt", "extra".getBytes());

        ContextVersionListResult versions = ok(agb.context().listVersions(context.id()));
        ContextVersionDiffResult diff = ok(agb.context().diffVersions(context.id(), 1, 3));
        ContextVersionRestoreResult restored = ok(agb.context().restoreVersion(context.id(), 1));

        assertThat(versions.versions()).extracting(ContextVersion::generation).containsExactly(3L, 2L, 1L);
        assertThat(versions.current())
                .get()
                .extracting(ContextVersion::generation)
                .isEqualTo(3L);
        assertThat(versions.versions().get(0).fileCount()).isEqualTo(2);
        assertThat(versions.versions().get(2).totalBytes()).isEqualTo(1_500_000);
        assertThat(diff.changes())
                .containsExactly(
                        new ContextVersionChange(
                                "/home/data/extra.txt", ContextVersionChange.Kind.ADDED, "file", null, 5L),
                        new ContextVersionChange(
                                "/home/data/model.bin",
                                ContextVersionChange.Kind.CHANGED,
                                "file",
                                1_500_000L,
                                1_500_000L));
        assertThat(restored.generation()).isEqualTo(4);
        assertThat(restored.committed()).isTrue();
        assertThat(get(agb, context.id(), "/home/data/model.bin")).isEqualTo(original);
        assertThat(failed(agb.context().getFileDownloadUrl(context.id(), "/home/data/extra.txt")))
                .containsIgnoringCase("not found");
        assertThat(ok(agb.context().restoreVersion(context.id(), 4)).committed())
                .isFalse();
    }

    @Test
    void aSessionMountsAPastVersionReadOnly_andItsReleaseUploadsNothing() throws Exception {
        Context context = E2e.newContext(agb, "sdk-versions-mount");
        put(agb, context.id(), "/home/data/notes.txt", "first".getBytes());
        put(agb, context.id(), "/home/data/notes.txt", "second".getBytes());

        Session session =
                E2e.session(agb, ContextSync.create(context.id(), "/home/data").withVersion(1));
        String seen = ok(session.file().read("/home/data/notes.txt")).content();
        E2e.sh(session, "echo changed > /home/data/notes.txt");
        ok(agb.delete(session, true));

        assertThat(seen).isEqualTo("first");
        assertThat(ok(agb.context().listVersions(context.id())).versions())
                .extracting(ContextVersion::generation)
                .containsExactly(2L, 1L);
        assertThat(get(agb, context.id(), "/home/data/notes.txt")).isEqualTo("second".getBytes());
    }

    @Test
    void unknownVersions_failWithAMessage_andImpossibleArguments_throwBeforeAnyRequest() {
        Context context = E2e.newContext(agb, "sdk-versions-bad");

        assertThat(failed(agb.context().restoreVersion(context.id(), 5))).contains("version 5", "at generation 0");
        assertThat(failed(agb.context().listVersions("SdkCtx-nope"))).contains("SdkCtx-nope");
        assertThatThrownBy(() -> agb.context().restoreVersion(context.id(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generations start at 1");
        assertThatThrownBy(() -> agb.context().listVersions(context.id(), 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxResults 0");
        assertThatThrownBy(() -> ContextSync.create(context.id(), "/home/data").withVersion(0))
                .hasMessageContaining("generations start at 1");
    }
}
