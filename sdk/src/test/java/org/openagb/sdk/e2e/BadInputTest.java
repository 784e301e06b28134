package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.newContext;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.BWList;
import org.openagb.model.ContextSync;
import org.openagb.model.PolicyException;
import org.openagb.model.SyncPolicy;
import org.openagb.model.WhiteList;
import org.openagb.sdk.AGB;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionResult;

/** Mistakes made through the SDK fail with messages that name the mistake. */
class BadInputTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private final AGB agb = SERVER.agb();

    @Test
    void wildcardWhiteListPath_isRejectedBeforeAnyRequest_namingTheValue() {
        assertThatThrownBy(() -> SyncPolicy.builder()
                        .bwList(BWList.of(new WhiteList("*.json")))
                        .build())
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'*.json'");
        assertThatThrownBy(() -> new WhiteList("/src", List.of("/dist/*")))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'/dist/*'");
    }

    @Test
    void mountPathOutsideTheWritableRoots_isRejectedByTheServer_namingTheAllowedRoots() {
        Context context = newContext(agb, "bad-opt");

        SessionResult result = agb.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create(context.id(), "/opt", SyncPolicy.defaults()))
                .build());

        assertThat(result.session()).isNull();
        assertThat(result.requestId()).isNotBlank();
        assertThat(failed(result)).contains("'/opt'").contains("/home").contains("/tmp");
    }

    @Test
    void relativeMountPath_isRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> ContextSync.create("SdkCtx-1", "home/project"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'home/project'")
                .hasMessageContaining("not absolute");
    }

    @Test
    void unknownContextId_isNotFound_forGetAndForMounting() {
        assertThat(failed(agb.context().getById("SdkCtx-doesnotexist")))
                .contains("SdkCtx-doesnotexist")
                .containsIgnoringCase("not found");

        SessionResult created = agb.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create("SdkCtx-doesnotexist", "/home/project"))
                .build());

        assertThat(created.session()).isNull();
        assertThat(failed(created)).contains("SdkCtx-doesnotexist").containsIgnoringCase("not found");
    }

    @Test
    void unknownImageId_isRejected_namingTheKnownImages() {
        SessionResult created = agb.create(
                CreateSessionParams.builder().imageId("no-such-image").build());

        assertThat(failed(created)).contains("'no-such-image'").contains("agb-code-space-1");
    }

    @Test
    void releasedSessionsToolCalls_failWithNotFound() {
        Session session = session(agb);
        ok(session.file().write("/tmp/before.txt", "alive"));
        ok(agb.delete(session));

        assertThat(failed(session.command().execute("echo hi", E2e.COMMAND_TIMEOUT_MS)))
                .containsIgnoringCase("not found");
        assertThat(failed(session.file().read("/tmp/before.txt"))).containsIgnoringCase("not found");
        assertThat(failed(session.file().write("/tmp/after.txt", "dead"))).containsIgnoringCase("not found");
        assertThat(failed(session.context().sync())).containsIgnoringCase("not found");
        assertThat(failed(agb.get(session.id()))).contains(session.id()).containsIgnoringCase("not found");
        assertThat(failed(agb.delete(session))).contains(session.id()).containsIgnoringCase("not found");
    }

    @Test
    void commandRunningPastItsTimeout_failsWithExitCode124_andSaysItTimedOut() {
        Session session = session(agb);

        CommandResult result = session.command().execute("echo started; sleep 10", 500);

        assertThat(result.exitCode()).isEqualTo(124);
        assertThat(failed(result)).containsIgnoringCase("timed out").contains("500");
        assertThat(result.stdout()).contains("started");
        ok(agb.delete(session));
    }

    @Test
    void commandExitingNonZero_failsWithItsExitCodeAndStderr() {
        Session session = session(agb);

        CommandResult result =
                session.command().execute("echo out; echo 'broken pipe dream' >&2; exit 3", E2e.COMMAND_TIMEOUT_MS);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(failed(result)).contains("broken pipe dream");
        assertThat(result.stdout()).isEqualTo("out\n");
        ok(agb.delete(session));
    }

    @Test
    void blankArguments_areRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> agb.context().get(" ", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the name is blank");
        assertThatThrownBy(() -> agb.get(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the id is blank");
    }
}
