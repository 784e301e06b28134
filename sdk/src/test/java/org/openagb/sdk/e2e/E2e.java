package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.openagb.model.ContextSync;
import org.openagb.model.DeletePolicy;
import org.openagb.model.DownloadPolicy;
import org.openagb.model.DownloadStrategy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.model.UploadPolicy;
import org.openagb.model.UploadStrategy;
import org.openagb.sdk.AGB;
import org.openagb.sdk.ApiResult;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.CreateSessionParams;
import org.openagb.sdk.FileEntry;
import org.openagb.sdk.Session;

/** Shared helpers of the end-to-end tests. */
final class E2e {
    /** Timeout of shell commands: generous, since a cold sandbox may be slow on a busy machine. */
    static final int COMMAND_TIMEOUT_MS = 20_000;

    /** The seed's "Standard workflow (recommended)" policy, spelled out. */
    static final SyncPolicy STANDARD = SyncPolicy.builder()
            .uploadPolicy(new UploadPolicy(true, UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, UploadMode.FILE))
            .downloadPolicy(new DownloadPolicy(true, DownloadStrategy.DOWNLOAD_ASYNC))
            .deletePolicy(new DeletePolicy(true))
            .build();

    private E2e() {}

    /** Asserts that {@code result} succeeded with a request id and no error, and returns it. */
    static <T extends ApiResult> T ok(T result) {
        assertThat(result.success())
                .as("success of %s (error: %s)", result.getClass().getSimpleName(), result.errorMessage())
                .isTrue();
        assertThat(result.requestId()).as("requestId").isNotBlank();
        assertThat(result.errorMessage()).as("errorMessage").isEmpty();
        return result;
    }

    /** Asserts that {@code result} failed with a message, and returns the message. */
    static String failed(ApiResult result) {
        assertThat(result.success())
                .as("success of %s", result.getClass().getSimpleName())
                .isFalse();
        assertThat(result.errorMessage()).as("errorMessage").isNotBlank();
        return result.errorMessage();
    }

    /** A context name no other test uses. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new context of {@code agb}'s tenant. */
    static Context newContext(AGB agb, String prefix) {
        return ok(agb.context().get(uniqueName(prefix), true)).context();
    }

    /** A session mounting {@code syncs}; asserts the create succeeded. */
    static Session session(AGB agb, ContextSync... syncs) {
        return ok(agb.create(CreateSessionParams.builder().contextSyncs(syncs).build()))
                .session();
    }

    /** Runs {@code command} in {@code session} and asserts exit code 0. */
    static CommandResult sh(Session session, String command) {
        CommandResult result = session.command().execute(command, COMMAND_TIMEOUT_MS);
        assertThat(result.success())
                .as("command '%s' (exit %d, stderr: %s)", command, result.exitCode(), result.stderr())
                .isTrue();
        return result;
    }

    /** Entries of a directory listing as {@code name} or {@code name/} for directories. */
    static List<String> names(List<FileEntry> entries) {
        return entries.stream()
                .map(e -> e.directory() ? e.name() + "/" : e.name())
                .toList();
    }

    /** Bytes 0..255, {@code times} times over. */
    static byte[] allBytes(int times) {
        byte[] bytes = new byte[256 * times];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** A shell command writing {@link #allBytes(int)} to {@code path} (printf with octal escapes). */
    static String writeAllBytesCommand(String path, int times) {
        StringBuilder escapes = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            escapes.append(String.format("\\%03o", i));
        }
        return "mkdir -p \"$(dirname '" + path + "')\" && printf '" + escapes + "' > '" + path
                + ".one' && for i in $(seq 1 " + times + "); do cat '" + path + ".one'; done > '" + path + "' && rm '"
                + path + ".one'";
    }
}
