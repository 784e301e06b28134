package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.ok;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.sdk.AGB;
import org.openagb.sdk.CodeResultItem;
import org.openagb.sdk.CodeRunResult;
import org.openagb.sdk.Session;

/** session.code().run against the real run_code tool (WIRE.md §5.3). */
class CodeRunTest {
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
    void python_keepsStateBetweenRuns_andTheLastExpressionIsTheMainResult() {
        ok(session.code().run("x = 41", "python"));

        CodeRunResult result = ok(session.code().run("x + 1", "python3", 30));

        assertThat(result.mainResult().flatMap(CodeResultItem::text)).contains("42");
    }

    @Test
    void python_printsToStdout() {
        CodeRunResult result = ok(session.code().run("print('hello')", "py"));

        assertThat(String.join("", result.stdout())).isEqualTo("hello\n");
    }

    @Test
    void python_runtimeError_failsWithTheError() {
        CodeRunResult result = session.code().run("undefined_name_xyz", "python");

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).contains("NameError");
    }
}
