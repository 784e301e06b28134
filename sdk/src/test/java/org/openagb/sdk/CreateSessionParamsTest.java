package org.openagb.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openagb.model.BWList;
import org.openagb.model.ContextSync;
import org.openagb.model.PolicyException;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadPolicy;
import org.openagb.model.WhiteList;
import org.openagb.sdk.internal.Json;

class CreateSessionParamsTest {

    @Test
    void defaults_useTheCodeSpaceImageAndSendAnEmptyBody() {
        CreateSessionParams params = CreateSessionParams.defaults();

        assertThat(params.imageId()).isEqualTo("agb-code-space-1");
        assertThat(AGB.createBody(params)).isEmpty();
    }

    @Test
    void body_carriesPolicyAndLabelsAsJsonStringsAndTimeoutInSeconds() throws Exception {
        SyncPolicy policy =
                SyncPolicy.builder().uploadPolicy(UploadPolicy.of(false)).build();
        CreateSessionParams params = CreateSessionParams.builder()
                .contextSyncs(ContextSync.create("SdkCtx-1", "/home/data", policy))
                .labels(Map.of("project", "x"))
                .idleTimeout(Duration.ofMinutes(5))
                .mcpPolicyId("pol-1")
                .build();

        JsonNode body = Json.MAPPER.readTree(Json.write(AGB.createBody(params)));

        JsonNode item = body.path("persistenceDataList").get(0);
        assertThat(item.path("contextId").asText()).isEqualTo("SdkCtx-1");
        assertThat(item.path("path").asText()).isEqualTo("/home/data");
        assertThat(item.path("policy").isTextual()).isTrue();
        assertThat(Json.MAPPER.readValue(item.path("policy").asText(), SyncPolicy.class))
                .isEqualTo(policy);
        assertThat(body.path("labels").isTextual()).isTrue();
        assertThat(Json.MAPPER.readTree(body.path("labels").asText()))
                .isEqualTo(Json.MAPPER.readTree("{\"project\":\"x\"}"));
        assertThat(body.path("mcpPolicyId").asText()).isEqualTo("pol-1");
        assertThat(body.path("timeout").asLong()).isEqualTo(300);
    }

    @Test
    void zeroIdleTimeout_isLeftOut() {
        assertThat(AGB.createBody(
                        CreateSessionParams.builder().idleTimeout(Duration.ZERO).build()))
                .doesNotContainKey("timeout");
    }

    @Test
    void blankImageId_isRejected() {
        assertThatThrownBy(() -> CreateSessionParams.builder().imageId(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot create session with image id ' ': it is blank (use an image id such as"
                        + " 'agb-code-space-1')");
    }

    @Test
    void wildcardWhiteList_isRejectedBeforeAnyRequest() throws Exception {
        try (FakeAgbServer server = new FakeAgbServer()) {
            AGB agb = AGB.builder().apiKey("k").endpoint(server.endpoint()).build();

            assertThatThrownBy(() -> agb.create(CreateSessionParams.builder()
                            .contextSyncs(List.of(ContextSync.create(
                                    "SdkCtx-1",
                                    "/home/project",
                                    SyncPolicy.builder()
                                            .bwList(BWList.of(new WhiteList("*.json")))
                                            .build())))
                            .build()))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage("Cannot use white-list path '*.json': wildcards (* ? [ ]) are not supported; use an"
                            + " exact directory path relative to the mount, such as '/src'");
            assertThat(server.requests()).isEmpty();
        }
    }
}
