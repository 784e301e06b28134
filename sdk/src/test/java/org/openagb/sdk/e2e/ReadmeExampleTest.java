package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.model.SyncPolicy;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.Session;

/** The README's Java example, line for line (only the client is built from the test server's key and URL). */
class ReadmeExampleTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    @Test
    void readmeExample_writesAFileThatTheNextSessionFinds() {
        AGB agb = SERVER.agb(); // the README uses new AGB() with AGB_API_KEY / AGB_ENDPOINT
        // --- README ---
        Context context = agb.context().get("my-project", true).context();
        ContextSync sync = ContextSync.create(context.id(), "/home/project", SyncPolicy.defaults());
        Session session = agb.create(CreateSessionParams.builder()
                        .contextSyncs(List.of(sync))
                        .build())
                .session();
        session.command().execute("echo hello > /home/project/hello.txt");
        agb.delete(session, true); // uploads /home/project, then releases the session
        // --- end of README ---

        Session next = agb.create(CreateSessionParams.builder()
                        .contextSyncs(List.of(sync))
                        .build())
                .session();
        assertThat(next.file().read("/home/project/hello.txt").content()).isEqualTo("hello\n");
        assertThat(agb.delete(next).success()).isTrue();
    }
}
