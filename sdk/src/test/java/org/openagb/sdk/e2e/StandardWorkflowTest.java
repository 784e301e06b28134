package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.STANDARD;
import static org.openagb.sdk.e2e.E2e.allBytes;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.names;
import static org.openagb.sdk.e2e.E2e.newContext;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;
import static org.openagb.sdk.e2e.E2e.sh;
import static org.openagb.sdk.e2e.E2e.writeAllBytesCommand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.Session;

/** The seed's "Scenario 1: Standard workflow": data written in one session is there in the next. */
class StandardWorkflowTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final String WS = "/home/project/workspace";
    private static final String JAVA_SOURCE =
            "package app;\n\npublic class App {\n    public static void main(String[] a) {}\n}\n";
    private static final String TODO = "- persist me\n- héllo wörld ✓\n";
    /** A stable digest of every file under the workspace, for comparing sessions. */
    private static final String DIGEST = "cd " + WS + " && find . -type f | LC_ALL=C sort | xargs sha256sum";

    private final AGB agb = SERVER.agb();

    @Test
    void deleteWithSync_thenNewSession_seesIdenticalFiles() {
        Context context = newContext(agb, "my-project-workspace");
        ContextSync mount = ContextSync.create(context.id(), WS, STANDARD);

        Session first = session(agb, mount);
        sh(first, "mkdir -p " + WS + "/src/main && echo 'hello from shell' > " + WS + "/README.md");
        ok(first.file().write(WS + "/src/main/App.java", JAVA_SOURCE));
        ok(first.file().write(WS + "/notes/deep/nested/todo.txt", TODO));
        sh(first, writeAllBytesCommand(WS + "/bin/data.bin", 3));
        assertThat(ok(first.file().readBytes(WS + "/bin/data.bin")).content()).isEqualTo(allBytes(3));
        String digest = sh(first, DIGEST).stdout();
        assertThat(digest).contains("./README.md", "./src/main/App.java", "./notes/deep/nested/todo.txt");
        ok(agb.delete(first, true));

        Session second = session(agb, mount);
        assertThat(ok(second.file().read(WS + "/README.md")).content()).isEqualTo("hello from shell\n");
        assertThat(ok(second.file().read(WS + "/src/main/App.java")).content()).isEqualTo(JAVA_SOURCE);
        assertThat(ok(second.file().read(WS + "/notes/deep/nested/todo.txt")).content())
                .isEqualTo(TODO);
        assertThat(ok(second.file().readBytes(WS + "/bin/data.bin")).content()).isEqualTo(allBytes(3));
        assertThat(names(ok(second.file().list(WS)).entries()))
                .containsExactlyInAnyOrder("README.md", "src/", "notes/", "bin/");
        assertThat(names(ok(second.file().list(WS + "/notes/deep")).entries())).containsExactly("nested/");
        assertThat(sh(second, DIGEST).stdout()).isEqualTo(digest);
        ok(agb.delete(second, true));
    }

    @Test
    void fileDeletedInSecondSession_withDeleteSync_isGoneInThirdSession() {
        Context context = newContext(agb, "standard-delete");
        ContextSync mount = ContextSync.create(context.id(), WS, STANDARD);
        Session first = session(agb, mount);
        ok(first.file().write(WS + "/keep.txt", "keep"));
        ok(first.file().write(WS + "/drop.txt", "drop"));
        ok(first.file().write(WS + "/old/dir/inner.txt", "inner"));
        ok(agb.delete(first, true));

        Session second = session(agb, mount);
        assertThat(ok(second.file().read(WS + "/drop.txt")).content()).isEqualTo("drop");
        ok(second.file().remove(WS + "/drop.txt"));
        sh(second, "rm -r " + WS + "/old");
        ok(agb.delete(second, true));

        Session third = session(agb, mount);
        assertThat(failed(third.file().info(WS + "/drop.txt"))).contains("drop.txt");
        assertThat(failed(third.file().info(WS + "/old"))).contains("old");
        assertThat(ok(third.file().read(WS + "/keep.txt")).content()).isEqualTo("keep");
        assertThat(names(ok(third.file().list(WS)).entries())).containsExactly("keep.txt");
        ok(agb.delete(third, true));
    }

    @Test
    void deleteWithoutSync_stillUploadsOnRelease_forUploadBeforeResourceRelease() {
        Context context = newContext(agb, "standard-release-upload");
        ContextSync mount = ContextSync.create(context.id(), WS, STANDARD);
        Session first = session(agb, mount);
        ok(first.file().write(WS + "/on-release.txt", "uploaded by the release"));
        ok(agb.delete(first));

        Session second = session(agb, mount);
        assertThat(ok(second.file().read(WS + "/on-release.txt")).content()).isEqualTo("uploaded by the release");
        ok(agb.delete(second));
    }
}
