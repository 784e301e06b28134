package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextApiTest extends ServerTestBase {

    @Test
    void getWithAllowCreate_isIdempotentByName_andReportsState() {
        WireClient.Reply first = wire.get("/sdk/GetContext", Map.of("name", "alpha", "allowCreate", "true"));
        WireClient.Reply again = wire.get("/sdk/GetContext", Map.of("name", "alpha", "allowCreate", "true"));
        assertThat(first.success()).isTrue();
        assertThat(first.data().path("id").asText()).startsWith("SdkCtx-");
        assertThat(again.data().path("id").asText())
                .isEqualTo(first.data().path("id").asText());
        assertThat(first.data().path("state").asText()).isEqualTo("available");
        assertThat(first.data().path("createTime").asText()).endsWith("Z");

        WireClient.Reply byId =
                wire.get("/sdk/GetContext", Map.of("id", first.data().path("id").asText(), "allowCreate", "false"));
        assertThat(byId.data().path("name").asText()).isEqualTo("alpha");
    }

    @Test
    void unknownNameWithoutCreate_andUnknownId_areNotFoundErrors() {
        WireClient.Reply byName = wire.get("/sdk/GetContext", Map.of("name", "never-made", "allowCreate", "false"));
        assertThat(byName.success()).isFalse();
        assertThat(byName.code()).isEqualTo("InvalidContext.NotFound");
        assertThat(byName.message()).contains("'never-made'").contains("allowCreate=true");

        WireClient.Reply byId = wire.get("/sdk/GetContext", Map.of("id", "SdkCtx-nope", "allowCreate", "false"));
        assertThat(byId.code()).isEqualTo("InvalidContext.NotFound");
        assertThat(byId.message()).contains("'SdkCtx-nope'");

        WireClient.Reply both = wire.get("/sdk/GetContext", Map.of("id", "SdkCtx-nope", "allowCreate", "true"));
        assertThat(both.code()).isEqualTo("InvalidParameter");
        assertThat(both.message()).contains("pass name instead of id");

        WireClient.Reply neither = wire.get("/sdk/GetContext", Map.of("allowCreate", "true"));
        assertThat(neither.message()).contains("without 'id' or 'name'");
    }

    @Test
    void anotherKey_neverSeesThisKeysContexts_andSameNameIsAnotherContext() {
        String id = wire.context("shared-name");
        WireClient other = wire.withKey(server.createApiKey("tenant-b"));
        assertThat(other.get("/sdk/GetContext", Map.of("id", id, "allowCreate", "false"))
                        .code())
                .isEqualTo("InvalidContext.NotFound");
        assertThat(other.post("/sdk/DeleteContext", Map.of("id", id), null).code())
                .isEqualTo("InvalidContext.NotFound");
        assertThat(other.post("/sdk/DescribeContextFiles", Map.of("contextId", id), null)
                        .code())
                .isEqualTo("InvalidContext.NotFound");
        assertThat(other.get("/sdk/ListContexts", Map.of()).data()).isEmpty();
        assertThat(other.context("shared-name")).isNotEqualTo(id);
        assertThat(wire.get("/sdk/GetContext", Map.of("id", id, "allowCreate", "false"))
                        .success())
                .isTrue();
    }

    @Test
    void rename_changesTheName_andRefusesATakenName() {
        String id = wire.context("before-rename");
        wire.context("taken");
        assertThat(wire.post("/sdk/ModifyContext", Map.of("id", id, "name", "after-rename"), null)
                        .success())
                .isTrue();
        assertThat(wire.get("/sdk/GetContext", Map.of("id", id, "allowCreate", "false"))
                        .data()
                        .path("name")
                        .asText())
                .isEqualTo("after-rename");
        WireClient.Reply taken = wire.post("/sdk/ModifyContext", Map.of("id", id, "name", "taken"), null);
        assertThat(taken.code()).isEqualTo("InvalidParameter");
        assertThat(taken.message()).contains("'taken'").contains("already taken");
    }

    @Test
    void delete_removesTheContext_andRefusesOneThatALiveSessionMounts() {
        String id = wire.context("to-delete");
        String session = wire.session(id, "/home/data", DEFAULT_POLICY);
        WireClient.Reply refused = wire.post("/sdk/DeleteContext", Map.of("id", id), null);
        assertThat(refused.success()).isFalse();
        assertThat(refused.code()).isEqualTo("InvalidContext.InUse");
        assertThat(refused.message()).contains(session);
        wire.release(session);

        assertThat(wire.post("/sdk/DeleteContext", Map.of("id", id), null).success())
                .isTrue();
        assertThat(wire.get("/sdk/GetContext", Map.of("id", id, "allowCreate", "false"))
                        .success())
                .isFalse();
        assertThat(wire.post("/sdk/DeleteContext", Map.of("id", id), null).code())
                .isEqualTo("InvalidContext.NotFound");
    }

    @Test
    void list_pagesWithMaxResults_andHonoursTheToken() {
        WireClient tenant = wire.withKey(server.createApiKey("lister"));
        for (int i = 0; i < 5; i++) {
            tenant.context("list-" + i);
        }
        WireClient.Reply first = tenant.get("/sdk/ListContexts", Map.of("maxResults", "2"));
        assertThat(first.data()).hasSize(2);
        assertThat(first.body().path("totalCount").asLong()).isEqualTo(5);
        String token = first.body().path("nextToken").asText();
        assertThat(token).isNotEmpty();
        WireClient.Reply last = tenant.get("/sdk/ListContexts", Map.of("maxResults", "10", "nextToken", token));
        assertThat(last.data()).hasSize(3);
        assertThat(last.body().path("nextToken").asText()).isEmpty();
    }

    @Test
    void list_answersNewestFirst_soAContextJustCreatedIsOnTheFirstPage() {
        WireClient tenant = wire.withKey(server.createApiKey("newest-first"));
        for (int i = 0; i < 12; i++) {
            tenant.context("older-" + i);
            WireClient.sleep(2);
        }
        String newest = tenant.context("the-newest");

        WireClient.Reply first = tenant.get("/sdk/ListContexts", Map.of("maxResults", "10"));

        assertThat(first.data().path(0).path("id").asText()).isEqualTo(newest);
        assertThat(first.data().path(9).path("name").asText()).isEqualTo("older-3");
    }

    @Test
    void describeAndDeleteFiles_listImmediateChildren_andMissingFileIsAnError() {
        String id = wire.context("files");
        String session = wire.session(id, "/home/files", DEFAULT_POLICY);
        wire.shell(
                session,
                "mkdir -p /home/files/sub/deep && echo a > /home/files/a.txt && echo b > /home/files/sub/deep/b.txt");
        wire.release(session);

        WireClient.Reply root = wire.post(
                "/sdk/DescribeContextFiles",
                Map.of("contextId", id, "parentFolderPath", "/home/files/", "pageNumber", "1", "pageSize", "50"),
                null);
        assertThat(root.body().path("count").asInt()).isEqualTo(2);
        assertThat(root.data().findValuesAsText("fileName")).containsExactlyInAnyOrder("a.txt", "sub");
        assertThat(root.data().findValuesAsText("fileType")).containsExactlyInAnyOrder("file", "folder");

        assertThat(wire.post("/sdk/DeleteContextFile", Map.of("contextId", id, "filePath", "/home/files/a.txt"), null)
                        .success())
                .isTrue();
        WireClient.Reply after = wire.post(
                "/sdk/DescribeContextFiles", Map.of("contextId", id, "parentFolderPath", "/home/files"), null);
        assertThat(after.data().findValuesAsText("fileName")).containsExactly("sub");
        WireClient.Reply missing =
                wire.post("/sdk/DeleteContextFile", Map.of("contextId", id, "filePath", "/home/files/a.txt"), null);
        assertThat(missing.success()).isFalse();
        assertThat(missing.code()).endsWith("NotFound");
        assertThat(missing.message()).contains("/home/files/a.txt");

        WireClient.Reply empty =
                wire.post("/sdk/DescribeContextFiles", Map.of("contextId", id, "parentFolderPath", "/nowhere"), null);
        assertThat(empty.success()).isTrue();
        assertThat(empty.data()).isEmpty();
        assertThat(empty.body().path("count").asInt()).isZero();
    }

    @Test
    void clear_emptiesTheContext_keepsItsId_andUnknownIdFails() {
        String id = wire.context("to-clear");
        String session = wire.session(id, "/home/clear", DEFAULT_POLICY);
        wire.shell(session, "echo x > /home/clear/x");
        wire.release(session);
        assertThat(wire.post("/sdk/ClearContext", Map.of("id", id), null).success())
                .isTrue();
        assertThat(wire.post("/sdk/ClearContext", Map.of("id", id), null).success())
                .isTrue();
        WireClient.Reply ctx = wire.get("/sdk/GetContext", Map.of("id", id, "allowCreate", "false"));
        assertThat(ctx.data().path("state").asText()).isEqualTo("available");
        assertThat(wire.post(
                                "/sdk/DescribeContextFiles",
                                Map.of("contextId", id, "parentFolderPath", "/home/clear"),
                                null)
                        .data())
                .isEmpty();
        WireClient.Reply unknown = wire.post("/sdk/ClearContext", Map.of("id", "SdkCtx-unknown"), null);
        assertThat(unknown.success()).isFalse();
        assertThat(unknown.message()).isNotEmpty();
    }
}
