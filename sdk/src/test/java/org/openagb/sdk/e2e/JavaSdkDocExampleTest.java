package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.BWList;
import org.openagb.model.ContextSync;
import org.openagb.model.DeletePolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.model.UploadPolicy;
import org.openagb.model.UploadStrategy;
import org.openagb.model.WhiteList;
import org.openagb.sdk.AGB;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextInfoResult;
import org.openagb.sdk.ContextSyncResult;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;
import org.openagb.sdk.SyncMode;

/** The example of docs/java-sdk.md, compiled and run against a real server. */
class JavaSdkDocExampleTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    @Test
    void javaSdkPageExample_runsAsWritten() throws Exception {
        AGB agb = SERVER.agb();
        // --- docs/java-sdk.md ---
        Context ctx = agb.context().get("my-project", true).context();

        SyncPolicy policy = SyncPolicy.builder()
                .uploadPolicy(new UploadPolicy(true, UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, UploadMode.FILE))
                .deletePolicy(new DeletePolicy(true))
                .bwList(BWList.of(new WhiteList("/src", List.of("/node_modules"))))
                .build();
        Session session = agb.create(CreateSessionParams.builder()
                        .contextSyncs(ContextSync.create(ctx.id(), "/home/project", policy))
                        .labels(Map.of("team", "a"))
                        .idleTimeout(Duration.ofMinutes(10))
                        .build())
                .session();

        CommandResult r = session.command().execute("ls /home/project", 5_000);
        session.file().write("/home/project/src/a.txt", "hi");
        String text = session.file().read("/home/project/src/a.txt").content();

        session.context().sync();
        session.context().sync(ctx.id(), "/home/project", SyncMode.DOWNLOAD);
        var async = session.context().syncAsync(result -> System.out.println(result.success()));
        ContextInfoResult info = session.context().info();
        // --- end ---
        ContextSyncResult asyncResult = async.get(60, TimeUnit.SECONDS);

        assertThat(r.success()).isTrue();
        assertThat(text).isEqualTo("hi");
        assertThat(asyncResult.success()).isTrue();
        assertThat(info.success()).isTrue();
        assertThat(agb.delete(session, true).success()).isTrue();
    }
}
