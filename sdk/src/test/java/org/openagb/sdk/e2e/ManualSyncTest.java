package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sdk.e2e.E2e.STANDARD;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.newContext;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextInfoResult;
import org.openagb.sdk.ContextStatus;
import org.openagb.sdk.ContextSyncResult;
import org.openagb.sdk.Session;
import org.openagb.sdk.SyncMode;

/** session.context(): info, sync, sync with a direction, syncAsync. */
class ManualSyncTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final String MOUNT = "/home/project";

    private final AGB agb = SERVER.agb();

    @Test
    void info_rightAfterCreate_showsTheMountsFinishedDownloadTask() {
        Context context = newContext(agb, "sync-info");
        Session session = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));

        ContextInfoResult info = ok(session.context().info());

        assertThat(info.statuses()).isNotEmpty();
        assertThat(info.statuses()).anySatisfy(status -> {
            assertThat(status.contextId()).isEqualTo(context.id());
            assertThat(status.path()).isEqualTo(MOUNT);
            assertThat(status.taskType()).isEqualTo("download");
            assertThat(status.status()).isEqualTo("Success");
            assertThat(status.errorMessage()).isEmpty();
        });
        ok(agb.delete(session));
    }

    @Test
    void sync_uploadsTheMount_infoShowsSuccessfulUpload_andANewSessionSeesTheFile() {
        Context context = newContext(agb, "sync-upload");
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session writer = session(agb, mount);
        ok(writer.file().write(MOUNT + "/synced.txt", "synced while alive"));

        ContextSyncResult synced = ok(writer.context().sync());

        assertThat(synced.requestId()).isNotBlank();
        ContextInfoResult uploads = ok(writer.context().info(context.id(), MOUNT, "upload"));
        assertThat(uploads.statuses()).hasSize(1);
        ContextStatus upload = uploads.statuses().get(0);
        assertThat(upload.status()).isEqualTo("Success");
        assertThat(upload.taskType()).isEqualTo("upload");
        assertThat(upload.finishTime()).isGreaterThanOrEqualTo(upload.startTime());
        Session reader = session(agb, mount);
        assertThat(ok(reader.file().read(MOUNT + "/synced.txt")).content()).isEqualTo("synced while alive");
        ok(agb.delete(reader));
        ok(agb.delete(writer));
    }

    @Test
    void syncDownload_bringsAnotherSessionsCommittedChange_intoALiveSession() {
        Context context = newContext(agb, "sync-download");
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session writer = session(agb, mount);
        Session reader = session(agb, mount);
        assertThat(failed(reader.file().info(MOUNT + "/news.txt"))).contains("news.txt");

        ok(writer.file().write(MOUNT + "/news.txt", "committed by the writer"));
        ok(writer.context().sync(context.id(), MOUNT, SyncMode.UPLOAD));
        ok(reader.context().sync(context.id(), MOUNT, SyncMode.DOWNLOAD));

        assertThat(ok(reader.file().read(MOUNT + "/news.txt")).content()).isEqualTo("committed by the writer");
        assertThat(ok(reader.context().info(context.id(), MOUNT, "download")).statuses())
                .singleElement()
                .satisfies(status -> assertThat(status.status()).isEqualTo("Success"));
        ok(agb.delete(writer));
        ok(agb.delete(reader));
    }

    @Test
    void syncAsync_callsTheCallbackWithTheResult() throws Exception {
        Context context = newContext(agb, "sync-async");
        Session session = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));
        ok(session.file().write(MOUNT + "/async.txt", "async"));
        CopyOnWriteArrayList<ContextSyncResult> seen = new CopyOnWriteArrayList<>();

        CompletableFuture<ContextSyncResult> future =
                session.context().syncAsync(context.id(), MOUNT, SyncMode.UPLOAD, seen::add);
        ContextSyncResult result = future.get(60, TimeUnit.SECONDS);

        ok(result);
        assertThat(seen).containsExactly(result);
        assertThat(ok(session.context().info(context.id(), MOUNT, "upload")).statuses())
                .singleElement()
                .satisfies(status -> assertThat(status.status()).isEqualTo("Success"));
        ok(agb.delete(session));
    }

    @Test
    void sync_withContextIdButNoPath_isRejectedBeforeAnyRequest() {
        Context context = newContext(agb, "sync-half");
        Session session = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));

        assertThatThrownBy(() -> session.context().sync(context.id(), null, SyncMode.UPLOAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(context.id())
                .hasMessageContaining("contextId and path go together");
        ok(agb.delete(session));
    }

    @Test
    void syncOfAnUnknownContext_failsNamingTheContext() {
        Context context = newContext(agb, "sync-unknown");
        Session session = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));

        ContextSyncResult result = session.context().sync("SdkCtx-doesnotexist", MOUNT, SyncMode.UPLOAD);

        assertThat(failed(result)).contains("SdkCtx-doesnotexist").containsIgnoringCase("not found");
        ok(agb.delete(session));
    }
}
