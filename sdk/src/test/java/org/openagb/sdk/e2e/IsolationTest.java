package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.STANDARD;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.names;
import static org.openagb.sdk.e2e.E2e.newContext;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;
import static org.openagb.sdk.e2e.E2e.sh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextResult;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionAccess;
import org.openagb.sdk.SessionResult;

/** Sessions, contexts and tenants do not see each other. */
class IsolationTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final String MOUNT = "/home/project";

    private final AGB agb = SERVER.agb();

    @Test
    void sessionsMountingDifferentContexts_atTheSamePath_neverSeeEachOthersFiles() {
        Context alpha = newContext(agb, "iso-alpha");
        Context beta = newContext(agb, "iso-beta");
        ContextSync alphaMount = ContextSync.create(alpha.id(), MOUNT, STANDARD);
        ContextSync betaMount = ContextSync.create(beta.id(), MOUNT, STANDARD);
        Session a = session(agb, alphaMount);
        Session b = session(agb, betaMount);

        ok(a.file().write(MOUNT + "/alpha.txt", "alpha"));
        ok(b.file().write(MOUNT + "/beta.txt", "beta"));

        assertThat(names(ok(a.file().list(MOUNT)).entries())).containsExactly("alpha.txt");
        assertThat(names(ok(b.file().list(MOUNT)).entries())).containsExactly("beta.txt");
        ok(agb.delete(a, true));
        ok(agb.delete(b, true));

        Session a2 = session(agb, alphaMount);
        Session b2 = session(agb, betaMount);
        assertThat(names(ok(a2.file().list(MOUNT)).entries())).containsExactly("alpha.txt");
        assertThat(names(ok(b2.file().list(MOUNT)).entries())).containsExactly("beta.txt");
        ok(agb.delete(a2));
        ok(agb.delete(b2));
    }

    @Test
    void sessionWritingUnderHome_doesNotTouchTheHostsHome() {
        Context context = newContext(agb, "iso-host");
        Session session = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));
        String name = "openagb-e2e-" + UUID.randomUUID() + ".txt";

        sh(session, "echo sandboxed > " + MOUNT + "/" + name + " && echo also > /home/" + name);

        assertThat(ok(session.file().read(MOUNT + "/" + name)).content()).isEqualTo("sandboxed\n");
        assertThat(Files.exists(Path.of(MOUNT, name))).isFalse();
        assertThat(Files.exists(Path.of("/home", name))).isFalse();
        ok(agb.delete(session));
    }

    @Test
    void sessionWithoutThatMount_doesNotSeeAnotherSessionsFiles() {
        Context context = newContext(agb, "iso-plain");
        Session mounted = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));
        Session plain = session(agb);
        ok(mounted.file().write("/tmp/private.txt", "private"));

        assertThat(failed(plain.file().info("/tmp/private.txt"))).contains("private.txt");
        CommandResult ls = plain.command().execute("ls " + MOUNT, E2e.COMMAND_TIMEOUT_MS);
        assertThat(ls.stdout()).doesNotContain("private");
        ok(agb.delete(mounted));
        ok(agb.delete(plain));
    }

    @Test
    void anotherApiKey_getsNotFound_forTheFirstKeysContextById() {
        Context context = newContext(agb, "iso-tenant-context");
        AGB other = SERVER.agb(SERVER.newApiKey("other-context"));

        ContextResult byId = other.context().getById(context.id());

        assertThat(failed(byId)).contains(context.id()).containsIgnoringCase("not found");
        ContextResult sameName = ok(other.context().get(context.name(), true));
        assertThat(sameName.context().id()).isNotEqualTo(context.id());
    }

    @Test
    void anotherApiKey_getsNotFound_forTheFirstKeysSession_andItsToolCalls() {
        Session session = session(agb);
        ok(session.file().write("/tmp/secret.txt", "secret"));
        String otherKey = SERVER.newApiKey("other-session");
        AGB other = SERVER.agb(otherKey);

        SessionResult got = other.get(session.id());
        assertThat(failed(got)).contains(session.id()).containsIgnoringCase("not found");

        Session foreign = SessionAccess.foreign(SERVER.baseUrl(), otherKey, session.id());
        assertThat(failed(foreign.file().read("/tmp/secret.txt"))).containsIgnoringCase("not found");
        CommandResult command = foreign.command().execute("cat /tmp/secret.txt", E2e.COMMAND_TIMEOUT_MS);
        assertThat(failed(command)).containsIgnoringCase("not found");
        assertThat(command.stdout()).doesNotContain("secret");
        assertThat(failed(foreign.context().info())).containsIgnoringCase("not found");
        assertThat(failed(other.delete(foreign))).contains(session.id()).containsIgnoringCase("not found");

        assertThat(ok(session.file().read("/tmp/secret.txt")).content()).isEqualTo("secret");
        ok(agb.delete(session));
    }

    @Test
    void anotherApiKey_cannotMountTheFirstKeysContext() {
        Context context = newContext(agb, "iso-tenant-mount");
        AGB other = SERVER.agb(SERVER.newApiKey("other-mount"));

        SessionResult created = other.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create(context.id(), MOUNT, STANDARD))
                .build());

        assertThat(created.session()).isNull();
        assertThat(failed(created)).contains(context.id()).containsIgnoringCase("not found");
    }
}
