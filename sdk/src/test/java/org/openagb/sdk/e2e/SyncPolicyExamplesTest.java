package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.BWList;
import org.openagb.model.ContextSync;
import org.openagb.model.DeletePolicy;
import org.openagb.model.DownloadPolicy;
import org.openagb.model.DownloadStrategy;
import org.openagb.model.ExtractPolicy;
import org.openagb.model.Lifecycle;
import org.openagb.model.MappingPolicy;
import org.openagb.model.PolicyException;
import org.openagb.model.RecyclePolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.model.UploadPolicy;
import org.openagb.model.UploadStrategy;
import org.openagb.model.WhiteList;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionResult;

/**
 * The examples of docs/sync.md, one per policy and seed scenario, run against a real server. Each writes in one
 * session and checks what the next session finds.
 */
class SyncPolicyExamplesTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private final AGB agb = SERVER.agb();

    private Session session(Context ctx, String path, SyncPolicy policy) {
        SessionResult r = agb.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create(ctx.id(), path, policy))
                .build());
        assertThat(r.success()).as(r.errorMessage()).isTrue();
        return r.session();
    }

    private static String sh(Session s, String command) {
        var r = s.command().execute(command, 30_000);
        assertThat(r.success()).as(r.errorMessage()).isTrue();
        return r.output();
    }

    @Test
    void standardWorkflow_filesPersistAcrossSessions() {
        // docs/sync.md: standard
        Context ctx = agb.context().get("my-project-workspace", true).context();
        SyncPolicy policy = SyncPolicy.builder()
                .uploadPolicy(new UploadPolicy(true, UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, UploadMode.FILE))
                .downloadPolicy(new DownloadPolicy(true, DownloadStrategy.DOWNLOAD_ASYNC))
                .deletePolicy(new DeletePolicy(true))
                .build();
        Session first = session(ctx, "/home/project/workspace", policy);
        sh(first, "echo hello > /home/project/workspace/notes.txt");
        agb.delete(first, true);

        Session second = session(ctx, "/home/project/workspace", policy);
        assertThat(sh(second, "cat /home/project/workspace/notes.txt")).isEqualTo("hello\n");
        agb.delete(second, true);
    }

    @Test
    void archiveMode_storesOneZip_andExtractsIntoTheMount() {
        // docs/sync.md: archive
        Context ctx = agb.context().get("browser-user-data", true).context();
        SyncPolicy policy = SyncPolicy.builder()
                .uploadPolicy(new UploadPolicy(true, UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, UploadMode.ARCHIVE))
                .extractPolicy(new ExtractPolicy(true, true, true))
                .deletePolicy(new DeletePolicy(true))
                .build();
        String mount = "/home/project/.config/google-chrome";
        Session first = session(ctx, mount, policy);
        sh(first, "mkdir -p " + mount + "/Default && echo '{}' > " + mount + "/Default/Preferences");
        agb.delete(first, true);

        Session second = session(ctx, mount, policy);
        assertThat(sh(second, "cat " + mount + "/Default/Preferences; ls " + mount))
                .isEqualTo("{}\nDefault\n");
        agb.delete(second, true);
    }

    @Test
    void readOnly_changesAreNeverUploaded() {
        // docs/sync.md: read-only
        Context ctx = agb.context().get("reference-data", true).context();
        Session writer = session(ctx, "/home/data", SyncPolicy.defaults());
        sh(writer, "echo v1 > /home/data/table.csv");
        agb.delete(writer, true);

        SyncPolicy readOnly =
                SyncPolicy.builder().uploadPolicy(UploadPolicy.of(false)).build();
        Session reader = session(ctx, "/home/data", readOnly);
        sh(reader, "echo scratch > /home/data/table.csv");
        agb.delete(reader, true);

        Session check = session(ctx, "/home/data", readOnly);
        assertThat(sh(check, "cat /home/data/table.csv")).isEqualTo("v1\n");
        agb.delete(check);
    }

    @Test
    void whitelist_syncsOnlyItsPaths_minusExcludes() {
        // docs/sync.md: whitelist
        Context ctx = agb.context().get("whitelisted-project", true).context();
        SyncPolicy policy = SyncPolicy.builder()
                .bwList(BWList.of(new WhiteList("/src", List.of("/node_modules", "/dist")), new WhiteList("/config")))
                .build();
        Session first = session(ctx, "/home/app", policy);
        sh(
                first,
                "cd /home/app && mkdir -p src/node_modules src/dist config tmp && echo a > src/a.js"
                        + " && echo m > src/node_modules/m.js && echo d > src/dist/d.js && echo c > config/c.json"
                        + " && echo t > tmp/t");
        agb.delete(first, true);

        Session second = session(ctx, "/home/app", SyncPolicy.defaults());
        assertThat(sh(second, "cd /home/app && find . -type f | sort")).isEqualTo("./config/c.json\n./src/a.js\n");
        agb.delete(second);

        assertThatThrownBy(() -> new WhiteList("/src/*"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'/src/*'");
    }

    @Test
    void recycle_isAcceptedWithALifecycle_andWildcardPathsAreRejected() {
        // docs/sync.md: recycle
        Context ctx = agb.context().get("expiring-logs", true).context();
        SyncPolicy policy = SyncPolicy.builder()
                .recyclePolicy(new RecyclePolicy(Lifecycle.LIFECYCLE_30DAYS, List.of("")))
                .build();
        Session s = session(ctx, "/home/logs", policy);
        sh(s, "echo line > /home/logs/app.log");
        assertThat(agb.delete(s, true).success()).isTrue();

        assertThatThrownBy(() -> new RecyclePolicy(Lifecycle.LIFECYCLE_1DAY, List.of("/logs/*.log")))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'/logs/*.log'");
    }

    @Test
    void mapping_readsDataStoredUnderAnotherPath_atTheMountPath() {
        // docs/sync.md: mapping
        Context ctx = agb.context().get("moved-project", true).context();
        Session old = session(ctx, "/tmp/old-location", SyncPolicy.defaults());
        sh(old, "echo kept > /tmp/old-location/data.txt");
        agb.delete(old, true);

        SyncPolicy mapped = SyncPolicy.builder()
                .mappingPolicy(new MappingPolicy("/tmp/old-location"))
                .build();
        Session moved = session(ctx, "/home/new-location", mapped);
        assertThat(sh(moved, "cat /home/new-location/data.txt")).isEqualTo("kept\n");
        agb.delete(moved, true);
    }

    @Test
    void mountPaths_mustBeUnderTheWritableRoots() {
        // docs/sync.md: mount paths
        Context ctx = agb.context().get("mount-path-demo", true).context();
        SessionResult ok = agb.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create(ctx.id(), "/tmp/workspace", SyncPolicy.defaults()))
                .build());
        assertThat(ok.success()).isTrue();
        agb.delete(ok.session());

        SessionResult refused = agb.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create(ctx.id(), "/opt", SyncPolicy.defaults()))
                .build());
        assertThat(refused.success()).isFalse();
        assertThat(refused.errorMessage()).contains("'/opt'").contains("/home, /tmp, /var/tmp");
    }

    @Test
    void deleteWithSync_propagatesLocalDeletions() {
        // docs/sync.md: delete policy
        Context ctx = agb.context().get("cleanup-demo", true).context();
        SyncPolicy mirror =
                SyncPolicy.builder().deletePolicy(new DeletePolicy(true)).build();
        Session first = session(ctx, "/home/c", mirror);
        sh(first, "echo a > /home/c/a && echo b > /home/c/b");
        agb.delete(first, true);

        Session second = session(ctx, "/home/c", mirror);
        sh(second, "rm /home/c/a");
        agb.delete(second, true);

        Session third = session(ctx, "/home/c", mirror);
        assertThat(sh(third, "ls /home/c")).isEqualTo("b\n");
        agb.delete(third);
    }
}
