package org.openagb.cli;

import org.openagb.sdk.AGB;
import org.openagb.sdk.ApiResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The options of every command that talks to a server: where ({@code --endpoint}), as whom ({@code --api-key}) and
 * how to print ({@code --json}). Mixed into the {@code context} and {@code session} groups and inherited by their
 * subcommands, so the options may stand before or after the subcommand name.
 */
final class ClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--api-key",
            scope = ScopeType.INHERIT,
            paramLabel = "KEY",
            description = "API key (default: $AGB_API_KEY, then api-key in the config file)")
    String apiKey;

    @Option(
            names = "--endpoint",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = "Server URL (default: $AGB_ENDPOINT, then endpoint in the config file, then "
                    + AGB.DEFAULT_ENDPOINT + ")")
    String endpoint;

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "Print one JSON document on stdout instead of text, for scripts")
    boolean json;

    private AGB agb;

    /** The client for these options; built once. */
    AGB agb() {
        if (agb == null) {
            ClientSettings settings = settings();
            agb = AGB.builder()
                    .apiKey(settings.apiKey())
                    .endpoint(settings.endpoint())
                    .build();
        }
        return agb;
    }

    ClientSettings settings() {
        return ClientSettings.resolve(apiKey, endpoint, environment());
    }

    Environment environment() {
        return ((Main) mixee.root().userObject()).environment();
    }

    Output output() {
        return new Output(System.out, System.err, json);
    }

    /**
     * Returns {@code result} if it succeeded.
     *
     * @throws CliException (failed) with the server's message otherwise
     */
    static <T extends ApiResult> T check(T result, String what) {
        if (!result.success()) {
            String message = result.errorMessage().isBlank() ? "the server gave no reason" : result.errorMessage();
            throw CliException.failed("Cannot " + what + ": " + message);
        }
        return result;
    }
}
