package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.ok;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.sdk.AGB;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.McpTool;
import org.openagb.sdk.Session;
import org.openagb.sdk.SessionInfoResult;
import org.openagb.sdk.SessionListResult;
import org.openagb.sdk.SessionSummary;

/** agb.list, labels, keepAlive, status, info and listMcpTools against the real server (WIRE.md §2). */
class SessionApiTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static AGB agb;
    private static final List<Session> sessions = new ArrayList<>();
    private static String run;

    @BeforeAll
    static void createSessions() {
        agb = SERVER.agb();
        run = E2e.uniqueName("run");
        for (int i = 0; i < 3; i++) {
            sessions.add(ok(agb.create(CreateSessionParams.builder()
                            .labels(Map.of("run", run, "kind", i == 2 ? "odd" : "even"))
                            .build()))
                    .session());
        }
    }

    @AfterAll
    static void deleteSessions() {
        sessions.forEach(s -> agb.delete(s));
    }

    private static List<String> ids(int... indexes) {
        List<String> ids = new ArrayList<>();
        for (int i : indexes) {
            ids.add(sessions.get(i).id());
        }
        return ids;
    }

    @Test
    void list_filtersByAllLabels() {
        SessionListResult even = ok(agb.list(Map.of("run", run, "kind", "even"), 1, 10));
        assertThat(even.sessionIds()).containsExactlyInAnyOrderElementsOf(ids(0, 1));
        assertThat(even.totalCount()).isEqualTo(2);
        assertThat(even.nextToken()).isEmpty();
        assertThat(even.sessions()).extracting(SessionSummary::status).containsOnly("RUNNING");

        assertThat(ok(agb.list(Map.of("run", run), 1, 10)).sessionIds())
                .containsExactlyInAnyOrderElementsOf(ids(0, 1, 2));
        assertThat(ok(agb.list(Map.of("run", "nope"), 1, 10)).sessionIds()).isEmpty();
        assertThat(ok(agb.list()).sessionIds()).isNotEmpty();
    }

    @Test
    void list_pagesByToken_andFailsPastTheLastPage() {
        Map<String, String> labels = Map.of("run", run);
        List<String> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            SessionListResult result = ok(agb.list(labels, page, 1));
            assertThat(result.totalCount()).isEqualTo(3);
            assertThat(result.maxResults()).isEqualTo(1);
            assertThat(result.nextToken().isEmpty()).isEqualTo(page == 3);
            seen.addAll(result.sessionIds());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids(0, 1, 2));

        assertThat(failed(agb.list(labels, 4, 1))).startsWith("Cannot reach page 4: No more pages available");
    }

    @Test
    void setLabels_replacesTheLabels_andListSeesThem() {
        Session session = sessions.get(2);
        assertThat(ok(session.labels()).labels()).isEqualTo(Map.of("run", run, "kind", "odd"));

        ok(session.setLabels(Map.of("run", run, "kind", "odd", "color", "blue green")));

        assertThat(ok(session.labels()).labels()).isEqualTo(Map.of("run", run, "kind", "odd", "color", "blue green"));
        assertThat(ok(agb.list(Map.of("color", "blue green"), 1, 10)).sessionIds())
                .containsExactly(session.id());
    }

    @Test
    void keepAliveStatusAndInfo_ofALiveSession() {
        Session session = sessions.get(0);

        ok(session.keepAlive());
        assertThat(ok(session.status()).status()).isEqualTo("RUNNING");
        SessionInfoResult info = ok(session.info());
        assertThat(info.sessionId()).isEqualTo(session.id());
        assertThat(info.resourceUrl()).contains("resourceId=");
    }

    @Test
    void statusAndKeepAlive_ofAReleasedSession_fail() {
        Session session = ok(agb.create()).session();
        ok(agb.delete(session));

        assertThat(failed(session.status())).containsIgnoringCase("not found");
        failed(session.keepAlive());
    }

    @Test
    void listMcpTools_listsTheShellAndFileTools() {
        List<McpTool> tools = ok(sessions.get(0).listMcpTools()).tools();

        assertThat(tools).extracting(McpTool::name).contains("shell", "read_file", "write_file");
        McpTool shell =
                tools.stream().filter(t -> t.name().equals("shell")).findFirst().orElseThrow();
        assertThat(shell.description()).isNotBlank();
        assertThat(shell.inputSchema().isObject()).isTrue();
    }
}
