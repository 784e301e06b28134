package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.STANDARD;
import static org.openagb.sdk.e2e.E2e.names;
import static org.openagb.sdk.e2e.E2e.newContext;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.Session;

/** Two live sessions on one context. */
class ConcurrentSessionsTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final String MOUNT = "/home/project";

    private final AGB agb = SERVER.agb();

    @Test
    void twoLiveSessions_changeDifferentFiles_andSync_bothChangesAreKept() {
        Context context = newContext(agb, "concurrent-both");
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session a = session(agb, mount);
        Session b = session(agb, mount);

        ok(a.file().write(MOUNT + "/from-a.txt", "written by a"));
        ok(b.file().write(MOUNT + "/from-b.txt", "written by b"));
        ok(a.context().sync());
        ok(b.context().sync());
        ok(agb.delete(a, true));
        ok(agb.delete(b, true));

        Session third = session(agb, mount);
        assertThat(names(ok(third.file().list(MOUNT)).entries())).containsExactlyInAnyOrder("from-a.txt", "from-b.txt");
        assertThat(ok(third.file().read(MOUNT + "/from-a.txt")).content()).isEqualTo("written by a");
        assertThat(ok(third.file().read(MOUNT + "/from-b.txt")).content()).isEqualTo("written by b");
        ok(agb.delete(third));
    }

    @Test
    void sessionThatDidNotTouchAFile_doesNotClobberAnotherSessionsNewerVersion() {
        Context context = newContext(agb, "concurrent-stale");
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session seed = session(agb, mount);
        ok(seed.file().write(MOUNT + "/shared.txt", "v1"));
        ok(agb.delete(seed, true));

        Session a = session(agb, mount);
        Session b = session(agb, mount);
        assertThat(ok(b.file().read(MOUNT + "/shared.txt")).content()).isEqualTo("v1");
        ok(a.file().write(MOUNT + "/shared.txt", "v2 from a"));
        ok(a.context().sync());
        ok(agb.delete(a, true));
        ok(b.file().write(MOUNT + "/other.txt", "b's own file"));
        ok(agb.delete(b, true));

        Session third = session(agb, mount);
        assertThat(ok(third.file().read(MOUNT + "/shared.txt")).content()).isEqualTo("v2 from a");
        assertThat(ok(third.file().read(MOUNT + "/other.txt")).content()).isEqualTo("b's own file");
        ok(agb.delete(third));
    }

    @Test
    void sessionThatDidNotSeeANewFile_doesNotDeleteIt_whenUploadingWithSyncLocalFile() {
        Context context = newContext(agb, "concurrent-new-file");
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session a = session(agb, mount);
        Session b = session(agb, mount);

        ok(a.file().write(MOUNT + "/late.txt", "created after b started"));
        ok(agb.delete(a, true));
        ok(agb.delete(b, true));

        Session third = session(agb, mount);
        assertThat(ok(third.file().read(MOUNT + "/late.txt")).content()).isEqualTo("created after b started");
        ok(agb.delete(third));
    }
}
