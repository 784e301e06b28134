package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.ok;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sdk.AGB;
import org.openagb.sdk.FileTransferResult;
import org.openagb.sdk.Session;

/** session.file().upload/download through the internal file-transfer context and presigned URLs (WIRE.md §6.7). */
class FileTransferTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static AGB agb;
    private static Session session;

    @TempDir
    Path tmp;

    @BeforeAll
    static void createSession() {
        agb = SERVER.agb();
        session = E2e.session(agb);
    }

    @AfterAll
    static void deleteSession() {
        ok(agb.delete(session));
    }

    @Test
    void uploadThenDownload_roundTripsTheBytes_reportingProgress() throws Exception {
        byte[] bytes = E2e.allBytes(4 * 1024); // 1 MiB
        Path local = Files.write(tmp.resolve("in.bin"), bytes);
        List<long[]> sent = new CopyOnWriteArrayList<>();

        FileTransferResult upload = ok(session.file()
                .upload(local, "/tmp/transfer/test_binary.dat", (done, total) -> sent.add(new long[] {done, total})));

        assertThat(upload.syncRequestId()).isNotBlank();
        assertThat(upload.bytes()).isEqualTo(bytes.length);
        assertThat(sent).isNotEmpty();
        assertThat(sent.get(sent.size() - 1)).containsExactly(bytes.length, bytes.length);
        assertThat(E2e.sh(session, "wc -c < /tmp/transfer/test_binary.dat")
                        .stdout()
                        .strip())
                .isEqualTo(String.valueOf(bytes.length));
        assertThat(ok(session.file().readBytes("/tmp/transfer/test_binary.dat")).content())
                .isEqualTo(bytes);

        E2e.sh(
                session,
                "cp /tmp/transfer/test_binary.dat /tmp/transfer/copy.dat && echo tail >> /tmp/transfer/copy.dat");
        Path back = tmp.resolve("out/copy.dat");
        List<long[]> received = new CopyOnWriteArrayList<>();

        FileTransferResult download = ok(session.file()
                .download("/tmp/transfer/copy.dat", back, (done, total) -> received.add(new long[] {done, total})));

        byte[] expected = new byte[bytes.length + 5];
        System.arraycopy(bytes, 0, expected, 0, bytes.length);
        System.arraycopy("tail\n".getBytes(), 0, expected, bytes.length, 5);
        assertThat(Files.readAllBytes(back)).isEqualTo(expected);
        assertThat(download.bytes()).isEqualTo(expected.length);
        assertThat(download.syncRequestId()).isNotBlank();
        assertThat(received.get(received.size() - 1)[0]).isEqualTo(expected.length);
        try (var files = Files.list(back.getParent())) {
            assertThat(files).containsExactly(back);
        }
    }

    @Test
    void uploadToTheRootOfADirectoryNextToOtherFiles_isVisibleToTheFileTools() throws Exception {
        E2e.sh(session, "mkdir -p /tmp/up2 && echo keep > /tmp/up2/other.txt");
        Path local = Files.writeString(tmp.resolve("note.txt"), "hello transfer\n");

        ok(session.file().upload(local, "/tmp/up2/note.txt"));

        assertThat(ok(session.file().read("/tmp/up2/note.txt")).content()).isEqualTo("hello transfer\n");
        assertThat(E2e.names(ok(session.file().list("/tmp/up2")).entries())).contains("note.txt", "other.txt");
        assertThat(ok(session.file().read("/tmp/up2/other.txt")).content()).isEqualTo("keep\n");
    }

    @Test
    void uploadOfAMissingLocalFile_failsClientSide() {
        Path missing = tmp.resolve("missing.bin");

        FileTransferResult result = session.file().upload(missing, "/tmp/missing.bin");

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).startsWith("Cannot upload '" + missing + "': no such file");
        assertThat(result.requestId()).isEmpty();
    }

    @Test
    void downloadOfAMissingSessionFile_failsAndWritesNothing() {
        Path local = tmp.resolve("never.txt");

        FileTransferResult result = session.file().download("/tmp/none/never.txt", local);

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).startsWith("Cannot download '/tmp/none/never.txt'");
        assertThat(local).doesNotExist();
    }
}
