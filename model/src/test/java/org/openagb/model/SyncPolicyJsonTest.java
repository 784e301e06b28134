package org.openagb.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyncPolicyJsonTest {
    /** WIRE.md §6.1 default, as the Python SDK spells it (", " and ": " spacing). */
    private static final String PYTHON_DEFAULT = "{\"uploadPolicy\": {\"autoUpload\": true, \"uploadStrategy\":"
            + " \"UploadBeforeResourceRelease\", \"uploadMode\": \"File\"}, \"downloadPolicy\": {\"autoDownload\":"
            + " true, \"downloadStrategy\": \"DownloadAsync\"}, \"deletePolicy\": {\"syncLocalFile\": true},"
            + " \"extractPolicy\": {\"extract\": true, \"deleteSrcFile\": true, \"extractToCurrentFolder\": false},"
            + " \"recyclePolicy\": {\"lifecycle\": \"Lifecycle_Forever\", \"paths\": [\"\"]}, \"bwList\":"
            + " {\"whiteLists\": []}}";

    private static final String TS_DEFAULT = PYTHON_DEFAULT.replace(", ", ",").replace(": ", ":");

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void defaults_serialiseToTheWireDefaultJson() throws Exception {
        JsonNode written = mapper.readTree(mapper.writeValueAsString(SyncPolicy.defaults()));

        assertThat(written).isEqualTo(mapper.readTree(PYTHON_DEFAULT));
    }

    @Test
    void pythonSpacedAndTypeScriptCompactDefaults_parseToDefaults() throws Exception {
        assertThat(mapper.readValue(PYTHON_DEFAULT, SyncPolicy.class)).isEqualTo(SyncPolicy.defaults());
        assertThat(mapper.readValue(TS_DEFAULT, SyncPolicy.class)).isEqualTo(SyncPolicy.defaults());
    }

    @Test
    void emptyObjectAndNullSubPolicies_parseToDefaults() throws Exception {
        assertThat(mapper.readValue("{}", SyncPolicy.class)).isEqualTo(SyncPolicy.defaults());
        assertThat(mapper.readValue(
                        "{\"uploadPolicy\":null,\"downloadPolicy\":{},\"recyclePolicy\":{\"paths\":null},"
                                + "\"bwList\":{\"whiteLists\":null},\"extractPolicy\":{\"extract\":null}}",
                        SyncPolicy.class))
                .isEqualTo(SyncPolicy.defaults());
    }

    @Test
    void partialTypeScriptPolicy_keepsGivenValuesAndDefaultsTheRest() throws Exception {
        SyncPolicy policy = mapper.readValue(
                "{\"uploadPolicy\":{\"autoUpload\":false},\"bwList\":{\"whiteLists\":[{\"path\":\"/src\"}]}}",
                SyncPolicy.class);

        assertThat(policy.uploadPolicy()).isEqualTo(UploadPolicy.of(false));
        assertThat(policy.uploadPolicy().uploadMode()).isEqualTo(UploadMode.FILE);
        assertThat(policy.downloadPolicy()).isEqualTo(DownloadPolicy.defaults());
        assertThat(policy.bwList().whiteLists()).containsExactly(new WhiteList("/src", List.of()));
        assertThat(policy.mappingPolicy()).isNull();
    }

    @Test
    void unknownKeys_areIgnored() throws Exception {
        SyncPolicy policy = mapper.readValue(
                "{\"future\":1,\"uploadPolicy\":{\"autoUpload\":true,\"extra\":\"x\"}}", SyncPolicy.class);

        assertThat(policy).isEqualTo(SyncPolicy.defaults());
    }

    @Test
    void fullPolicy_roundTripsThroughJson() throws Exception {
        SyncPolicy policy = SyncPolicy.builder()
                .uploadPolicy(new UploadPolicy(true, UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, UploadMode.ARCHIVE))
                .downloadPolicy(DownloadPolicy.of(false))
                .deletePolicy(new DeletePolicy(false))
                .extractPolicy(new ExtractPolicy(false, false, true))
                .recyclePolicy(new RecyclePolicy(Lifecycle.LIFECYCLE_30DAYS, List.of("", "/logs")))
                .bwList(BWList.of(new WhiteList("/src", List.of("/node_modules", "/dist")), new WhiteList("/config")))
                .mappingPolicy(new MappingPolicy("c:\\Users\\me"))
                .build();

        String json = mapper.writeValueAsString(policy);

        assertThat(mapper.readValue(json, SyncPolicy.class)).isEqualTo(policy);
        assertThat(mapper.readTree(json).path("mappingPolicy").path("path").asText())
                .isEqualTo("c:\\Users\\me");
        assertThat(mapper.readTree(json)
                        .path("bwList")
                        .path("whiteLists")
                        .get(0)
                        .path("excludePaths"))
                .hasSize(2);
    }

    @Test
    void defaults_omitMappingPolicyKey() throws Exception {
        assertThat(mapper.readTree(mapper.writeValueAsString(SyncPolicy.defaults()))
                        .has("mappingPolicy"))
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(Lifecycle.class)
    void everyLifecycle_roundTripsAsItsWireString(Lifecycle lifecycle) throws Exception {
        String json = mapper.writeValueAsString(lifecycle);

        assertThat(json).isEqualTo("\"" + lifecycle.wireName() + "\"");
        assertThat(mapper.readValue(json, Lifecycle.class)).isEqualTo(lifecycle);
    }

    @Test
    void wireStrings_areExactlyTheOfficialOnes() {
        assertThat(List.of(Lifecycle.values()).stream().map(Lifecycle::wireName))
                .containsExactly(
                        "Lifecycle_1Day",
                        "Lifecycle_3Days",
                        "Lifecycle_5Days",
                        "Lifecycle_10Days",
                        "Lifecycle_15Days",
                        "Lifecycle_30Days",
                        "Lifecycle_90Days",
                        "Lifecycle_180Days",
                        "Lifecycle_360Days",
                        "Lifecycle_Forever");
        assertThat(UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE.wireName()).isEqualTo("UploadBeforeResourceRelease");
        assertThat(DownloadStrategy.DOWNLOAD_ASYNC.wireName()).isEqualTo("DownloadAsync");
        assertThat(UploadMode.FILE.wireName()).isEqualTo("File");
        assertThat(UploadMode.ARCHIVE.wireName()).isEqualTo("Archive");
    }

    @Test
    void everyEnum_parsesItsWireString() throws Exception {
        for (UploadMode mode : UploadMode.values()) {
            assertThat(mapper.readValue("\"" + mode.wireName() + "\"", UploadMode.class))
                    .isEqualTo(mode);
        }
        assertThat(mapper.readValue("\"UploadBeforeResourceRelease\"", UploadStrategy.class))
                .isEqualTo(UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE);
        assertThat(mapper.readValue("\"DownloadAsync\"", DownloadStrategy.class))
                .isEqualTo(DownloadStrategy.DOWNLOAD_ASYNC);
    }

    @Test
    void lifecycleDays_areEmptyOnlyForForever() {
        assertThat(Lifecycle.LIFECYCLE_1DAY.days()).hasValue(1);
        assertThat(Lifecycle.LIFECYCLE_360DAYS.days()).hasValue(360);
        assertThat(Lifecycle.LIFECYCLE_FOREVER.days()).isEmpty();
    }

    @Test
    void unknownEnumString_failsNamingTheValueAndTheValidOnes() {
        assertThatThrownBy(() -> mapper.readValue("{\"uploadPolicy\":{\"uploadMode\":\"Zip\"}}", SyncPolicy.class))
                .isInstanceOf(ValueInstantiationException.class)
                .cause()
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot parse uploadMode 'Zip': unknown value (use one of File, Archive)");
        assertThatThrownBy(() -> Lifecycle.fromWireName("Lifecycle_7Days"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot parse lifecycle 'Lifecycle_7Days': unknown value (use one of Lifecycle_1Day,"
                        + " Lifecycle_3Days, Lifecycle_5Days, Lifecycle_10Days, Lifecycle_15Days, Lifecycle_30Days,"
                        + " Lifecycle_90Days, Lifecycle_180Days, Lifecycle_360Days, Lifecycle_Forever)");
    }

    @Test
    void wildcardInJson_failsWithPolicyExceptionAsCause() {
        assertThatThrownBy(() ->
                        mapper.readValue("{\"bwList\":{\"whiteLists\":[{\"path\":\"/src/*\"}]}}", SyncPolicy.class))
                .isInstanceOf(ValueInstantiationException.class)
                .cause()
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot use white-list path '/src/*': wildcards (* ? [ ]) are not supported; use an exact"
                        + " directory path relative to the mount, such as '/src'");
    }
}
