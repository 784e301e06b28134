package org.openagb.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgbConfigurationTest {

    private static AGB.Builder withEnv(Map<String, String> env) {
        return AGB.builder().env(env::get);
    }

    @Test
    void missingApiKey_failsTellingToSetAgbApiKey() {
        assertThatThrownBy(() -> withEnv(Map.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot create AGB client: the API key is missing (set AGB_API_KEY, or pass it to new"
                        + " AGB(apiKey) or AGB.builder().apiKey(..))");
    }

    @Test
    void blankApiKeyConstructor_failsTheSameWay() {
        assertThatThrownBy(() -> new AGB(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot create AGB client: the API key is missing");
    }

    @Test
    void noEndpoint_usesTheLocalDefault() {
        assertThat(withEnv(Map.of("AGB_API_KEY", "k")).build().endpoint()).isEqualTo("http://127.0.0.1:8765");
    }

    @Test
    void endpointFromEnvWithoutScheme_getsHttps() {
        AGB agb = withEnv(Map.of("AGB_API_KEY", "k", "AGB_ENDPOINT", "sdk-api.agb.cloud"))
                .build();

        assertThat(agb.endpoint()).isEqualTo("https://sdk-api.agb.cloud");
    }

    @Test
    void builderEndpoint_winsOverEnvAndKeepsItsPathPrefix() {
        AGB agb = withEnv(Map.of("AGB_API_KEY", "k", "AGB_ENDPOINT", "other:1"))
                .endpoint("http://127.0.0.1:8080/agb/")
                .build();

        assertThat(agb.endpoint()).isEqualTo("http://127.0.0.1:8080/agb");
    }

    @Test
    void malformedTimeoutEnv_failsNamingTheValue() {
        assertThatThrownBy(() -> withEnv(Map.of("AGB_API_KEY", "k", "AGB_TIMEOUT_MS", "soon"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot use AGB_TIMEOUT_MS 'soon': it is not a positive number of milliseconds (set it to"
                        + " e.g. 60000, or unset it)");
    }

    @Test
    void invalidEndpoint_failsNamingIt() {
        assertThatThrownBy(() -> withEnv(Map.of("AGB_API_KEY", "k"))
                        .endpoint("http://bad host")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot use endpoint 'http://bad host': it is not a valid URL (use host:port or"
                        + " http://host:port, such as 'http://127.0.0.1:8765')");
    }
}
