package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.STANDARD;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.names;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.session;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.model.ContextSync;
import org.openagb.sdk.AGB;
import org.openagb.sdk.ClearResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextListParams;
import org.openagb.sdk.ContextListResult;
import org.openagb.sdk.Session;

/** agb.context(): list, rename, clear and delete against the real server (a fresh tenant per test). */
class ContextManagementTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final String MOUNT = "/home/project";

    private AGB freshTenant(String name) {
        return SERVER.agb(SERVER.newApiKey(name));
    }

    @Test
    void list_pagesThroughEveryContext_withNextToken() {
        AGB agb = freshTenant("lister");
        List<String> created = new ArrayList<>();
        for (String name : List.of("page-a", "page-b", "page-c", "page-d", "page-e")) {
            created.add(ok(agb.context().create(name)).context().id());
        }

        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ContextListResult page = ok(agb.context().list(new ContextListParams(2, token)));
            assertThat(page.contexts()).hasSizeLessThanOrEqualTo(2);
            page.contexts().forEach(c -> listed.add(c.id()));
            token = page.nextToken();
            pages++;
        } while (!token.isEmpty() && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void nameWithSpacesAndUnicode_roundTrips() {
        AGB agb = freshTenant("unicode");
        String name = "projet été + données/α";

        Context context = ok(agb.context().get(name, true)).context();

        assertThat(context.name()).isEqualTo(name);
        assertThat(ok(agb.context().get(name)).context().id()).isEqualTo(context.id());
    }

    @Test
    void update_renamesTheContext_andATakenNameIsRefused() {
        AGB agb = freshTenant("renamer");
        Context first = ok(agb.context().create("rename-me")).context();
        ok(agb.context().create("taken"));

        ok(agb.context().update(first.withName("renamed")));

        assertThat(ok(agb.context().getById(first.id())).context().name()).isEqualTo("renamed");
        assertThat(failed(agb.context().update(first.withName("taken")))).contains("'taken'");
    }

    @Test
    void delete_isRefusedWhileMounted_andWorksAfterRelease() {
        AGB agb = freshTenant("deleter");
        Context context = ok(agb.context().create("delete-me")).context();
        Session session = session(agb, ContextSync.create(context.id(), MOUNT, STANDARD));

        assertThat(failed(agb.context().delete(context))).contains(context.id()).contains(session.id());

        ok(agb.delete(session));
        ok(agb.context().delete(context));
        assertThat(failed(agb.context().getById(context.id()))).containsIgnoringCase("not found");
    }

    @Test
    void clear_wipesTheData_butKeepsIdAndName() {
        AGB agb = freshTenant("clearer");
        Context context = ok(agb.context().create("clear-me")).context();
        ContextSync mount = ContextSync.create(context.id(), MOUNT, STANDARD);
        Session writer = session(agb, mount);
        ok(writer.file().write(MOUNT + "/wiped.txt", "soon gone"));
        ok(agb.delete(writer, true));

        ClearResult cleared = ok(agb.context().clear(context.id()));

        assertThat(cleared.state()).isEqualTo("available");
        assertThat(ok(agb.context().getById(context.id())).context().name()).isEqualTo("clear-me");
        Session reader = session(agb, mount);
        assertThat(names(ok(reader.file().list(MOUNT)).entries())).isEmpty();
        ok(agb.delete(reader));
    }
}
