package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.ok;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.model.SyncPolicy;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextResult;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.FileInfoResult;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionResult;

/** The seed's Quickstart, in Java, against a real server. */
class QuickstartTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private final AGB agb = SERVER.agb();

    @Test
    void quickstart_getOrCreateContext_mountWithDefaultPolicy_createAndDeleteSession_allSucceed() {
        ContextResult contextResult = ok(agb.context().get("my-project", true));
        Context context = contextResult.context();
        assertThat(context.id()).isNotBlank();
        assertThat(context.name()).isEqualTo("my-project");
        assertThat(context.state()).isEqualTo("available");

        ContextSync sync = ContextSync.create(context.id(), "/home/project", SyncPolicy.defaults());
        SessionResult createResult = ok(agb.create(CreateSessionParams.builder()
                .imageId("agb-code-space-1")
                .contextSyncs(sync)
                .build()));
        Session session = createResult.session();
        assertThat(session.id()).isNotBlank();

        ok(agb.delete(session));
    }

    @Test
    void getWithCreate_twice_returnsTheSameContext() {
        Context first = ok(agb.context().get("quickstart-idempotent", true)).context();
        Context second = ok(agb.context().get("quickstart-idempotent", true)).context();

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(ok(agb.context().get("quickstart-idempotent")).context().id())
                .isEqualTo(first.id());
        assertThat(ok(agb.context().getById(first.id())).context().name()).isEqualTo("quickstart-idempotent");
    }

    @Test
    void getWithoutCreate_ofUnknownName_failsNamingTheName() {
        ContextResult result = agb.context().get("quickstart-never-created", false);

        assertThat(result.success()).isFalse();
        assertThat(result.requestId()).isNotBlank();
        assertThat(result.errorMessage()).contains("quickstart-never-created").containsIgnoringCase("not found");
    }

    @Test
    void createdSession_hasTheMountPathAsDirectory_andIsFoundByGet() {
        Context context = ok(agb.context().get("quickstart-mount-dir", true)).context();
        Session session = ok(agb.create(CreateSessionParams.builder()
                        .contextSyncs(ContextSync.create(context.id(), "/home/project"))
                        .build()))
                .session();

        FileInfoResult info = ok(session.file().info("/home/project"));
        assertThat(info.info().directory()).isTrue();
        SessionResult found = ok(agb.get(session.id()));
        assertThat(found.session().id()).isEqualTo(session.id());

        ok(agb.delete(session));
    }
}
