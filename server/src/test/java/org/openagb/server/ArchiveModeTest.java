package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Archive upload mode through the wire: one zip object per mount, extractPolicy on download, mode kept. */
class ArchiveModeTest extends ServerTestBase {
    static final String ARCHIVE_POLICY = "{\"uploadPolicy\": {\"autoUpload\": true, \"uploadStrategy\":"
            + " \"UploadBeforeResourceRelease\", \"uploadMode\": \"Archive\"}, \"extractPolicy\": {\"extract\": true,"
            + " \"deleteSrcFile\": true, \"extractToCurrentFolder\": true}}";

    private static String archivePolicy(boolean extract, boolean deleteSrc, boolean currentFolder) {
        return "{\"uploadPolicy\": {\"autoUpload\": false, \"uploadMode\": \"Archive\"}, \"extractPolicy\":"
                + " {\"extract\": " + extract
                + ", \"deleteSrcFile\": " + deleteSrc + ", \"extractToCurrentFolder\": " + currentFolder + "}}";
    }

    @Test
    void archiveUpload_storesOneZipNamedAfterTheMount_andExtractsBackIntoTheMount() {
        String ctx = wire.context("archive-roundtrip");
        String first = wire.session(ctx, "/home/project/.config/google-chrome", ARCHIVE_POLICY);
        wire.shell(
                first,
                "cd /home/project/.config/google-chrome && mkdir -p Default/empty && echo prefs > 'Local State'"
                        + " && head -c 100000 /dev/urandom > Default/Cookies && chmod 600 Default/Cookies");
        wire.release(first);

        WireClient.Reply listing = wire.post(
                "/sdk/DescribeContextFiles",
                Map.of("contextId", ctx, "parentFolderPath", "/home/project/.config/google-chrome"),
                null);
        assertThat(listing.data().findValuesAsText("fileName")).containsExactly("google-chrome.zip");

        String second = wire.session(ctx, "/home/project/.config/google-chrome", ARCHIVE_POLICY);
        assertThat(wire.shell(
                        second,
                        "cd /home/project/.config/google-chrome && cat 'Local State' && stat -c %a"
                                + " Default/Cookies && test -d Default/empty && ls"))
                .isEqualTo("prefs\n600\nDefault\nLocal State\n");
        wire.release(second);
    }

    @Test
    void extractPolicy_placesTheZip_orASubfolder_orBoth_asConfigured() {
        String ctx = wire.context("archive-extract-policy");
        String seed = wire.session(ctx, "/tmp/data", ARCHIVE_POLICY);
        wire.shell(seed, "echo x > /tmp/data/x.txt");
        wire.release(seed);

        String noExtract = wire.session(ctx, "/tmp/data", archivePolicy(false, true, true));
        assertThat(wire.shell(noExtract, "ls /tmp/data")).isEqualTo("data.zip\n");
        assertThat(wire.shell(noExtract, "unzip -p /tmp/data/data.zip x.txt")).isEqualTo("x\n");
        wire.release(noExtract);

        String subfolder = wire.session(ctx, "/tmp/data", archivePolicy(true, true, false));
        assertThat(wire.shell(subfolder, "ls /tmp/data; cat /tmp/data/data/x.txt"))
                .isEqualTo("data\nx\n");
        wire.release(subfolder);

        String keepZip = wire.session(ctx, "/tmp/data", archivePolicy(true, false, true));
        assertThat(wire.shell(keepZip, "ls /tmp/data")).isEqualTo("data.zip\nx.txt\n");
        wire.release(keepZip);
    }

    @Test
    void withoutExtraction_theSessionWorksOnTheZip_andItsReleaseUploadsThatZipAsIs() {
        String ctx = wire.context("archive-no-extract");
        String seed = wire.session(ctx, "/home/z", ARCHIVE_POLICY);
        wire.shell(seed, "echo one > /home/z/one.txt");
        wire.release(seed);
        String zipOnly = "{\"uploadPolicy\": {\"uploadMode\": \"Archive\"}, \"extractPolicy\": {\"extract\": false}}";
        String editor = wire.session(ctx, "/home/z", zipOnly);
        wire.shell(editor, "cd /tmp && echo two > two.txt && zip -q /home/z/z.zip two.txt");
        wire.release(editor);
        String check = wire.session(ctx, "/home/z", ARCHIVE_POLICY);
        assertThat(wire.shell(check, "ls /home/z && cat /home/z/two.txt")).isEqualTo("one.txt\ntwo.txt\ntwo\n");
        wire.release(check);
    }

    @Test
    void aContextKeepsTheModeOfItsFirstSync_andTheOtherModeFailsNamingBoth() {
        String ctx = wire.context("archive-mode-lock");
        String archived = wire.session(ctx, "/home/m", ARCHIVE_POLICY);
        wire.shell(archived, "echo a > /home/m/a");
        wire.release(archived);

        String fileMode = wire.session(ctx, "/home/m", STANDARD_POLICY);
        JsonNode tasks = wire.sync(fileMode);
        JsonNode upload = null;
        for (JsonNode t : tasks) {
            if (t.path("taskType").asText().equals("upload")) {
                upload = t;
            }
        }
        assertThat(upload).isNotNull();
        assertThat(upload.path("status").asText()).isEqualTo("Failed");
        assertThat(upload.path("errorMessage").asText())
                .contains(ctx)
                .contains("File mode")
                .contains("Archive mode");
        WireClient.Reply release = wire.post("/mcp/releaseSessionAsync", Map.of(), Map.of("sessionId", fileMode));
        assertThat(release.success()).isTrue();
    }

    @Test
    void listTools_includesRunCode_andCreateSessionToolListNamesItsServer() throws Exception {
        WireClient.Reply tools = wire.post("/mcp/listTools", Map.of("imageId", "agb-code-space-1"), null);
        JsonNode list = WireClient.JSON.readTree(tools.data().asText());
        assertThat(list.findValuesAsText("name")).contains("shell", "read_file", "run_code");
        assertThat(list.findValuesAsText("server")).contains("wuying_codespace");
        List<String> names = list.findValuesAsText("name");
        assertThat(names).doesNotHaveDuplicates();
    }
}
