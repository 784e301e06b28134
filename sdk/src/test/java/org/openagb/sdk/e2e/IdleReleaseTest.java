package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openagb.sdk.e2e.E2e.STANDARD;
import static org.openagb.sdk.e2e.E2e.newContext;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionResult;

/** A session left alone past its idle timeout is released by the server, and uploaded like any release. */
class IdleReleaseTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer(config -> config.reaperInterval(Duration.ofMillis(200)));

    private static final String MOUNT = "/home/project";

    private final AGB agb = SERVER.agb();

    @Test
    void idleSession_isReleasedByItself_andItsDataIsInTheContextForTheNextSession() {
        Context context = newContext(agb, "idle-release");
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session idle = ok(agb.create(CreateSessionParams.builder()
                        .contextSyncs(mount)
                        .idleTimeout(Duration.ofSeconds(2))
                        .build()))
                .session();
        ok(idle.file().write(MOUNT + "/left-behind.txt", "uploaded by the idle release"));

        // getSession does not count as activity, so polling it does not keep the session alive.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    SessionResult found = agb.get(idle.id());
                    assertThat(found.success()).isFalse();
                    assertThat(found.errorMessage()).contains(idle.id()).containsIgnoringCase("not found");
                });

        Session next = session(agb, mount);
        assertThat(ok(next.file().read(MOUNT + "/left-behind.txt")).content())
                .isEqualTo("uploaded by the idle release");
        ok(agb.delete(next));
    }
}
