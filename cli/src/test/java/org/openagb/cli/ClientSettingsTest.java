package org.openagb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
    @TempDir
    Path home;

    private Path defaultConfig(String text) throws IOException {
        Path file = home.resolve(".config/openagb/config.properties");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void resolve_flagBeatsEnvBeatsFileBeatsDefault() throws IOException {
        defaultConfig("api-key=file-key\nendpoint=http://file:1\n");
        Environment env = CliRun.environment(home, Map.of("AGB_API_KEY", "env-key", "AGB_ENDPOINT", "http://env:2"));
        Environment noEnv = CliRun.environment(home, Map.of());

        assertThat(ClientSettings.resolve("flag-key", "http://flag:3", env))
                .extracting(ClientSettings::apiKey, ClientSettings::endpoint)
                .containsExactly("flag-key", "http://flag:3");
        assertThat(ClientSettings.resolve(null, null, env))
                .extracting(ClientSettings::apiKey, ClientSettings::endpoint)
                .containsExactly("env-key", "http://env:2");
        assertThat(ClientSettings.resolve(null, null, noEnv))
                .extracting(ClientSettings::apiKey, ClientSettings::endpoint)
                .containsExactly("file-key", "http://file:1");
    }

    @Test
    void resolve_withoutEndpointAnywhere_usesTheLocalDefault() {
        ClientSettings settings =
                ClientSettings.resolve(null, null, CliRun.environment(home, Map.of("AGB_API_KEY", "k")));
        assertThat(settings.endpoint()).isEqualTo("http://127.0.0.1:8765");
    }

    @Test
    void resolve_openagbConfig_replacesTheDefaultFile() throws IOException {
        defaultConfig("api-key=default-file\n");
        Path other = Files.writeString(home.resolve("other.properties"), "api-key=other-file\n");
        Environment env = CliRun.environment(home, Map.of("OPENAGB_CONFIG", other.toString()));
        assertThat(ClientSettings.resolve(null, null, env).apiKey()).isEqualTo("other-file");
        assertThat(ClientSettings.resolve(null, null, env).toString()).doesNotContain("other-file");
    }

    @Test
    void resolve_withoutKey_isAUsageErrorNamingTheConfigFile() {
        assertThatThrownBy(() -> ClientSettings.resolve(
                        null, "http://x:1", CliRun.environment(home, Map.of("AGB_API_KEY", " "))))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("No API key: pass --api-key, set AGB_API_KEY, or put api-key=… in "
                        + home.resolve(".config/openagb/config.properties"));
    }

    @Test
    void missingKey_exits2WithTheMessage_beforeAnyRequest() {
        CliRun run = CliRun.run(CliRun.environment(home, Map.of()), "context", "ls");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("No API key: pass --api-key, set AGB_API_KEY, or put api-key=… in "
                        + home.resolve(".config/openagb/config.properties"));
        assertThat(run.out()).isEmpty();
    }
}
