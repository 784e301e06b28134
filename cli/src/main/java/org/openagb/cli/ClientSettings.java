package org.openagb.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.openagb.sdk.AGB;

/**
 * Where the client commands find their server and key. Each setting comes from the first of: the flag
 * ({@code --api-key}, {@code --endpoint}), the environment ({@code AGB_API_KEY}, {@code AGB_ENDPOINT}), the config
 * file ({@code $OPENAGB_CONFIG}, else {@code ~/.config/openagb/config.properties}; keys {@code api-key} and
 * {@code endpoint}), the default ({@value AGB#DEFAULT_ENDPOINT}; no default key).
 *
 * @param apiKey the API key
 * @param endpoint the server's base URL
 * @param configFile the config file that was (or would have been) read
 */
record ClientSettings(String apiKey, String endpoint, Path configFile) {
    static final String CONFIG_ENV = "OPENAGB_CONFIG";
    static final String KEY_ENV = "AGB_API_KEY";
    static final String ENDPOINT_ENV = "AGB_ENDPOINT";
    static final String KEY_PROPERTY = "api-key";
    static final String ENDPOINT_PROPERTY = "endpoint";

    /**
     * @throws CliException (usage) if no source gives an API key, or the config file cannot be read
     */
    static ClientSettings resolve(String flagKey, String flagEndpoint, Environment environment) {
        Path configFile = configFile(environment);
        Properties config = read(configFile);
        String apiKey = first(flagKey, environment.variable(KEY_ENV), config.getProperty(KEY_PROPERTY));
        if (apiKey == null) {
            throw CliException.usage(
                    "No API key: pass --api-key, set " + KEY_ENV + ", or put " + KEY_PROPERTY + "=… in " + configFile);
        }
        String endpoint = first(
                flagEndpoint,
                environment.variable(ENDPOINT_ENV),
                config.getProperty(ENDPOINT_PROPERTY),
                AGB.DEFAULT_ENDPOINT);
        return new ClientSettings(apiKey, endpoint, configFile);
    }

    static Path configFile(Environment environment) {
        String path = environment.variable(CONFIG_ENV);
        return path != null
                ? Path.of(path)
                : environment.home().resolve(".config").resolve("openagb").resolve("config.properties");
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        if (!Files.isRegularFile(file)) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.usage("Cannot read config file '" + file + "': " + e.getMessage()
                    + " (it holds lines such as api-key=… and endpoint=http://127.0.0.1:8765)");
        }
        return properties;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /** The key with all but its first characters hidden, for messages. */
    @Override
    public String toString() {
        String shown = apiKey.length() <= 8 ? "" : apiKey.substring(0, 8);
        return "ClientSettings[apiKey=" + shown + "…, endpoint=" + endpoint + ", configFile=" + configFile + "]";
    }
}
