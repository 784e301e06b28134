package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.InMemoryObjectStore;

class ReadOnlyDirectoryDownloadTest {
    @TempDir
    Path tmp;

    @Test
    void download_ofAReadOnlyDirectory_writesItsChildrenFirst_thenAppliesTheMode() throws Exception {
        SyncEngine engine = SyncEngine.create(new InMemoryObjectStore(), new InMemoryContextHeads());
        Path src = tmp.resolve("src");
        TestTrees.write(src, "locked/inner/file.txt", "content");
        Files.setPosixFilePermissions(src.resolve("locked/inner"), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(src.resolve("locked"), PosixFilePermissions.fromString("r-x------"));
        engine.upload(UploadRequest.of("ctx", "/home/p", src, tmp.resolve("base-up")));

        Path dst = tmp.resolve("dst");
        DownloadResult result = engine.download(DownloadRequest.of("ctx", "/home/p", dst, tmp.resolve("base-down")));

        assertThat(result.failures()).isEmpty();
        assertThat(Files.readString(dst.resolve("locked/inner/file.txt"))).isEqualTo("content");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("locked/inner"))))
                .isEqualTo("r-xr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("locked"))))
                .isEqualTo("r-x------");
        Files.setPosixFilePermissions(dst.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dst.resolve("locked/inner"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(src.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(src.resolve("locked/inner"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
