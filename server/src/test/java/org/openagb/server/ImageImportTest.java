package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI images for real: a tiny image built here with umoci (two layers, the second deleting a file), imported as an OCI
 * layout and as a docker-archive, then a session created on it over the wire sees exactly its files.
 */
class ImageImportTest extends ServerTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Path layout;

    @BeforeAll
    static void buildTinyImage() throws Exception {
        layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        run("umoci", "init", "--layout", layout.toString());
        run("umoci", "new", "--image", layout + ":tiny");
        run("umoci", "unpack", "--image", layout + ":tiny", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        for (String dir : List.of("bin", "etc", "home", "tmp", "var/tmp", "proc", "dev")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        // A shell and the libraries it needs, copied from the host: enough for builtins (echo, read, cd).
        Path dash = Path.of("/bin/dash").toRealPath();
        Files.copy(dash, rootfs.resolve("bin/sh"));
        for (String lib :
                run("sh", "-c", "ldd " + dash + " | grep -o '/[^ ]*'").lines().toList()) {
            Path target = rootfs.resolve(lib.substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(lib).toRealPath(), target);
        }
        Files.writeString(rootfs.resolve("hello.txt"), "hello from the tiny image\n");
        Files.writeString(rootfs.resolve("removed.txt"), "first layer only\n");
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:image root:/:/bin/sh\n");
        run("umoci", "repack", "--image", layout + ":tiny", bundle.toString());
        Files.delete(rootfs.resolve("removed.txt"));
        run("umoci", "repack", "--image", layout + ":tiny", bundle.toString());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": " + out
                        + " (needs umoci and skopeo: apt-get install -y umoci skopeo)")
                .isZero();
        return out;
    }

    private static ImageCatalog catalog() {
        return new ImageCatalog(dataDir.resolve("images"), ServerConfig.DEFAULT_IMAGES, Clock.systemUTC());
    }

    private static String sessionOn(String imageId) {
        WireClient.Reply created = wire.post("/mcp/createSession", Map.of("imageId", imageId), Map.of());
        assertThat(created.success()).as(created.body().toString()).isTrue();
        return created.data().path("sessionId").asText();
    }

    private static JsonNode shell(String session, String command) throws IOException {
        WireClient.Reply reply = wire.tool(session, "shell", Map.of("command", command, "timeout_ms", 20_000));
        return JSON.readTree(reply.toolText());
    }

    @Test
    void importedOciLayout_sessionSeesItsFiles_andItsWhiteoutsApplied() throws Exception {
        ImageCatalog.Image image = catalog().importImage("tiny", layout + ":tiny");
        assertThat(image.digest()).startsWith("sha256:");
        assertThat(image.root().resolve("hello.txt")).hasContent("hello from the tiny image\n");
        assertThat(image.root().resolve("removed.txt")).doesNotExist();

        String session = sessionOn("tiny");
        try {
            JsonNode out = shell(
                    session,
                    "while read -r line; do echo \"$line\"; done < /hello.txt;"
                            + " [ -e /removed.txt ] && echo removed-present; [ -e /usr ] && echo host-usr;"
                            + " read -r user < /etc/passwd; echo \"$user\"; echo x > /home/f && echo wrote");
            assertThat(out.path("stdout").asText())
                    .isEqualTo("hello from the tiny image\nroot:x:0:0:root:/home:/bin/sh\nwrote\n");
        } finally {
            wire.release(session);
        }
    }

    @Test
    void dockerArchive_importsToo_andLsAndRmManageTheCatalogue() throws Exception {
        Path archive = work.resolve("tiny-docker.tar");
        run(
                "skopeo",
                "copy",
                "--quiet",
                "--insecure-policy",
                "oci:" + layout + ":tiny",
                "docker-archive:" + archive + ":tiny:latest");
        ImageCatalog catalog = catalog();
        ImageCatalog.Image image = catalog.importImage("tiny-docker", archive.toString());
        assertThat(image.root().resolve("hello.txt")).exists();
        assertThat(catalog.ids()).contains("tiny-docker", "agb-code-space-1", "agb-browser-use-1");

        String session = sessionOn("tiny-docker");
        try {
            assertThat(shell(session, "echo $(read -r l < /hello.txt; echo \"$l\")")
                            .path("stdout")
                            .asText())
                    .isEqualTo("hello from the tiny image\n");
        } finally {
            wire.release(session);
        }

        catalog.remove("tiny-docker");
        assertThat(catalog.ids()).doesNotContain("tiny-docker");
        assertThatThrownBy(() -> catalog.remove("agb-code-space-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'agb-code-space-1': it is built in");
    }

    @Test
    void unknownImageId_isRefusedWithTheKnownOnes() {
        WireClient.Reply created = wire.post("/mcp/createSession", Map.of("imageId", "no-such-image"), Map.of());
        assertThat(created.success()).isFalse();
        assertThat(created.message())
                .contains("Unknown imageId 'no-such-image'")
                .contains("agb-code-space-1")
                .contains("agb-computer-use-ubuntu-2204");
    }

    @Test
    void badSourcesAndIds_areClearErrors() {
        ImageCatalog catalog = catalog();
        assertThatThrownBy(
                        () -> catalog.importImage("x", work.resolve("missing").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> catalog.importImage("bad id!", layout.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot use image id 'bad id!'");
        assertThatThrownBy(() -> catalog.importImage("x", work.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an OCI layout");
    }

    @Test
    void everyIdTheOfficialSdksUse_createsASession() {
        for (String id : List.of(
                "agb-code-space-1",
                "agb-code-space-2",
                "agb-code-space-3",
                "agb-browser-use-1",
                "agb-computer-use-ubuntu-2204")) {
            String session = sessionOn(id);
            wire.release(session);
        }
    }
}
