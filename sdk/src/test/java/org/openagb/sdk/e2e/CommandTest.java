package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.ok;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.sdk.AGB;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Session;

/** session.command() against the real shell tool. */
class CommandTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static AGB agb;
    private static Session session;

    @BeforeAll
    static void createSession() {
        agb = SERVER.agb();
        session = E2e.session(agb);
    }

    @AfterAll
    static void deleteSession() {
        ok(agb.delete(session));
    }

    @Test
    void execute_withCwdAndEnvs_runsInThatDirectoryWithThoseVariables() {
        CommandResult result = ok(session.command()
                .execute(
                        "pwd; echo \"$GREETING $TARGET\"",
                        E2e.COMMAND_TIMEOUT_MS,
                        "/tmp",
                        Map.of("GREETING", "hello", "TARGET", "world")));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("/tmp\nhello world\n");
        assertThat(ok(session.command().execute("echo \"[$GREETING]\"", E2e.COMMAND_TIMEOUT_MS))
                        .stdout())
                .isEqualTo("[]\n");
    }

    @Test
    void execute_separatesStdoutAndStderr_andOutputIsBoth() {
        CommandResult result = ok(session.command().execute("echo out; echo err >&2", E2e.COMMAND_TIMEOUT_MS));

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.output()).isEqualTo("out\nerr\n");
    }

    @Test
    void execute_withATimeoutLongerThanTheClientsHttpTimeout_waitsForTheCommand() {
        AGB impatient = AGB.builder()
                .apiKey(SERVER.apiKey())
                .endpoint(SERVER.baseUrl())
                .timeout(Duration.ofSeconds(1))
                .build();
        Session same = ok(impatient.get(session.id())).session();

        CommandResult result = same.command().execute("sleep 2; echo finished", 15_000);

        ok(result);
        assertThat(result.stdout()).isEqualTo("finished\n");
    }
}
