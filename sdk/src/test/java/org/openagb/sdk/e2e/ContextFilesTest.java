package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.ok;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.sdk.AGB;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextFileEntry;
import org.openagb.sdk.ContextFileListResult;
import org.openagb.sdk.FileUrlResult;

/** agb.context() file APIs: presigned URLs used with plain java.net.http, listing with paging, deletion. */
class ContextFilesTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static AGB agb;

    @BeforeAll
    static void client() {
        agb = SERVER.agb();
    }

    private static int put(String url, byte[] bytes) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void uploadUrlThenDownloadUrl_roundTripTheBytesWithoutTheApiKey() throws Exception {
        Context context = E2e.newContext(agb, "ctx-files-url");
        byte[] bytes = E2e.allBytes(40);

        FileUrlResult upload = ok(agb.context().getFileUploadUrl(context.id(), "/home/data/blob.bin"));
        assertThat(upload.url()).startsWith("http");
        assertThat(upload.expireTime()).isPositive();
        assertThat(put(upload.url(), bytes)).isIn(200, 204);

        FileUrlResult download = ok(agb.context().getFileDownloadUrl(context.id(), "/home/data/blob.bin"));
        HttpResponse<byte[]> response = get(download.url());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
    }

    @Test
    void downloadUrlOfAMissingFile_fails() {
        Context context = E2e.newContext(agb, "ctx-files-missing");

        assertThat(failed(agb.context().getFileDownloadUrl(context.id(), "/home/data/none.txt")))
                .containsIgnoringCase("not found");
    }

    @Test
    void listFiles_pagesTheImmediateChildren_andDeleteFileRemovesOneAtOnce() throws Exception {
        Context context = E2e.newContext(agb, "ctx-files-list");
        for (String name : List.of("a.txt", "b.txt", "c.txt", "sub/d.txt")) {
            String url = ok(agb.context().getFileUploadUrl(context.id(), "/tmp/test/" + name))
                    .url();
            assertThat(put(url, name.getBytes())).isIn(200, 204);
        }

        ContextFileListResult all = ok(agb.context().listFiles(context.id(), "/tmp/test"));
        assertThat(all.count()).isEqualTo(4);
        assertThat(all.entries())
                .extracting(ContextFileEntry::fileName)
                .containsExactlyInAnyOrder("a.txt", "b.txt", "c.txt", "sub");
        ContextFileEntry a = all.entries().stream()
                .filter(e -> e.fileName().equals("a.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(a.filePath()).isEqualTo("/tmp/test/a.txt");
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.folder()).isFalse();
        assertThat(all.entries().stream().filter(ContextFileEntry::folder))
                .extracting(ContextFileEntry::filePath)
                .containsExactly("/tmp/test/sub");

        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            ContextFileListResult result = ok(agb.context().listFiles(context.id(), "/tmp/test/", page, 2));
            assertThat(result.count()).isEqualTo(4);
            result.entries().forEach(e -> paged.add(e.fileName()));
            assertThat(result.entries()).hasSize(page < 3 ? 2 : 0);
        }
        assertThat(paged).containsExactlyInAnyOrder("a.txt", "b.txt", "c.txt", "sub");
        assertThat(ok(agb.context().listFiles(context.id(), "/nowhere")).entries())
                .isEmpty();

        ok(agb.context().deleteFile(context.id(), "/tmp/test/b.txt"));
        assertThat(ok(agb.context().listFiles(context.id(), "/tmp/test")).entries())
                .extracting(ContextFileEntry::fileName)
                .containsExactlyInAnyOrder("a.txt", "c.txt", "sub");
        failed(agb.context().deleteFile(context.id(), "/tmp/test/b.txt"));
    }
}
