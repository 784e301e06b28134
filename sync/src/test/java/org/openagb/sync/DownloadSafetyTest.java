package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.InMemoryObjectStore;
import org.openagb.sync.internal.Hashing;
import org.openagb.sync.internal.ManifestWriter;
import org.openagb.sync.internal.ManifestWriter.BlobRefFields;

class DownloadSafetyTest {
    static final String CTX = "ctx";

    @TempDir
    Path tmp;

    InMemoryObjectStore store;
    InMemoryContextHeads heads;
    SyncEngine engine;
    Path hostDir;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        store = new InMemoryObjectStore();
        heads = new InMemoryContextHeads();
        engine = SyncEngine.create(
                store, heads, Clock.systemUTC(), SyncOptions.defaults().withTempDir(tmp));
        hostDir = Files.createDirectories(tmp.resolve("session/home/p"));
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        store.assertNoOpenStreams();
    }

    interface RawEntries {
        void write(ManifestWriter w);
    }

    /** Commits a manifest written without validation, as a hostile or corrupt server state would be. */
    void commitRaw(RawEntries entries) throws Exception {
        Path f = tmp.resolve("raw.manifest");
        try (ManifestWriter w = ManifestWriter.create(f)) {
            entries.write(w);
        }
        try (InputStream in = Files.newInputStream(f)) {
            store.put("manifests/ctx/1-raw", in, Files.size(f));
        }
        heads.compareAndSet(CTX, 0, new Head(1, "manifests/ctx/1-raw"));
    }

    DownloadResult download() {
        return engine.download(DownloadRequest.of(CTX, "/home/p", hostDir, tmp.resolve("base")));
    }

    @Test
    void download_entryWithDotDot_isRefusedAndWritesNothingOutside() throws Exception {
        store.put("blobs/ctx/b", new ByteArrayInputStream("evil".getBytes()), 4);
        long hash = Hashing.hash("evil".getBytes(), 0, 4);
        commitRaw(w -> w.writeRaw(
                "/home/p/../../outside/evil.txt",
                EntryType.FILE,
                4,
                0,
                0644,
                hash,
                0,
                new BlobRefFields("blobs/ctx/b", 0),
                null));

        assertThatThrownBy(this::download)
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot read manifest 'manifests/ctx/1-raw'")
                .hasMessageContaining("is not a valid context path: it contains a '..' component");
        assertThat(outside).isEmptyDirectory();
        assertThat(tmp.resolve("session/outside")).doesNotExist();
    }

    @Test
    void download_entryBeneathASymlinkEntry_isRefusedAndWritesNothingOutside() throws Exception {
        store.put("blobs/ctx/b", new ByteArrayInputStream("evil".getBytes()), 4);
        long hash = Hashing.hash("evil".getBytes(), 0, 4);
        commitRaw(w -> {
            w.writeRaw("/home/p/link", EntryType.SYMLINK, 0, 0, 0777, 0, 0, null, outside.toString());
            w.writeRaw(
                    "/home/p/link/evil.txt",
                    EntryType.FILE,
                    4,
                    0,
                    0644,
                    hash,
                    0,
                    new BlobRefFields("blobs/ctx/b", 0),
                    null);
            w.writeRaw(
                    "/home/p/ok.txt", EntryType.FILE, 4, 0, 0644, hash, 0, new BlobRefFields("blobs/ctx/b", 0), null);
        });

        DownloadResult r = download();

        assertThat(outside).isEmptyDirectory();
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("/home/p/link/evil.txt");
            assertThat(f.reason())
                    .isEqualTo("Cannot materialise '/home/p/link/evil.txt': its parent '/home/p/link' is a symlink"
                            + " (refusing to write through symlinks)");
        });
        assertThat(r.message()).contains("1 entr(ies) refused");
        assertThat(Files.readSymbolicLink(hostDir.resolve("link"))).isEqualTo(outside);
        assertThat(hostDir.resolve("ok.txt")).hasContent("evil");
    }

    @Test
    void download_existingLocalSymlinkAtFilePath_isReplacedNotFollowed() throws Exception {
        Path victim = Files.writeString(outside.resolve("victim.txt"), "original");
        Files.createSymbolicLink(hostDir.resolve("a.txt"), victim);
        engine.putFile(CTX, "/home/p/a.txt", new ByteArrayInputStream("new".getBytes()), 3);

        DownloadResult r = download();

        assertThat(r.failures()).isEmpty();
        assertThat(victim).hasContent("original");
        assertThat(Files.isSymbolicLink(hostDir.resolve("a.txt"))).isFalse();
        assertThat(hostDir.resolve("a.txt")).hasContent("new");
    }

    @Test
    void download_existingLocalSymlinkAsParentDirectory_isRefused() throws Exception {
        Files.createSymbolicLink(hostDir.resolve("dir"), outside);
        engine.putFile(CTX, "/home/p/dir/x.txt", new ByteArrayInputStream("x".getBytes()), 1);

        DownloadResult r = download();

        assertThat(outside).isEmptyDirectory();
        assertThat(r.failures()).extracting(DownloadResult.EntryFailure::path).containsExactly("/home/p/dir/x.txt");
    }

    @Test
    void download_corruptBlob_isReportedAndFileNotWritten() throws Exception {
        store.put("blobs/ctx/b", new ByteArrayInputStream("evil".getBytes()), 4);
        commitRaw(w -> w.writeRaw(
                "/home/p/x.txt", EntryType.FILE, 4, 0, 0644, 12345, 0, new BlobRefFields("blobs/ctx/b", 0), null));

        DownloadResult r = download();

        assertThat(r.failures())
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("stored content does not match its hash or length"));
        assertThat(hostDir.resolve("x.txt")).doesNotExist();
        try (var s = Files.list(hostDir)) {
            assertThat(s).as("no temp files left").isEmpty();
        }
    }

    @Test
    void download_sameSizeAndMtimeLocally_isSkipped() throws Exception {
        engine.putFile(CTX, "/home/p/a.txt", new ByteArrayInputStream("abc".getBytes()), 3);
        DownloadResult first = download();

        DownloadResult second = download();

        assertThat(first.filesWritten()).isEqualTo(1);
        assertThat(second.filesWritten()).isZero();
        assertThat(second.filesSkipped()).isEqualTo(1);
    }

    @Test
    void download_batchedSmallFiles_oneCorruptInThePack_onlyItFails_andSymlinksInFreshDirsAreNotFollowed()
            throws Exception {
        // three small files packed back to back in one object, the middle one corrupt
        byte[] pack = "aaaBBBccc".getBytes();
        store.put("blobs/ctx/pack", new java.io.ByteArrayInputStream(pack), pack.length);
        long ha = org.openagb.sync.internal.Hashing.hash("aaa".getBytes(), 0, 3);
        long hc = org.openagb.sync.internal.Hashing.hash("ccc".getBytes(), 0, 3);
        commitRaw(w -> {
            w.writeRaw("/home/p/d", EntryType.DIRECTORY, 0, 0, 0755, 0, 0, null, null);
            w.writeRaw("/home/p/d/a", EntryType.FILE, 3, 0, 0644, ha, 0, new BlobRefFields("blobs/ctx/pack", 0), null);
            w.writeRaw("/home/p/d/b", EntryType.FILE, 3, 0, 0600, 999, 0, new BlobRefFields("blobs/ctx/pack", 3), null);
            w.writeRaw("/home/p/d/c", EntryType.FILE, 3, 0, 0640, hc, 0, new BlobRefFields("blobs/ctx/pack", 6), null);
            w.writeRaw("/home/p/e", EntryType.FILE, 0, 0, 0644, org.openagb.sync.internal.Hashing.EMPTY, 0, null, null);
        });
        // an existing symlink where a file goes, in an existing directory
        Files.createSymbolicLink(hostDir.resolve("e"), outside.resolve("victim"));

        DownloadResult r = download();

        assertThat(r.failures())
                .singleElement()
                .satisfies(f -> assertThat(f.path()).isEqualTo("/home/p/d/b"));
        assertThat(Files.readString(hostDir.resolve("d/a"))).isEqualTo("aaa");
        assertThat(Files.readString(hostDir.resolve("d/c"))).isEqualTo("ccc");
        assertThat(hostDir.resolve("d/b")).doesNotExist();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(hostDir.resolve("d/c"), java.nio.file.LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-r-----");
        assertThat(Files.isSymbolicLink(hostDir.resolve("e"))).isFalse();
        assertThat(Files.size(hostDir.resolve("e"))).isZero();
        assertThat(outside.resolve("victim")).doesNotExist();
        try (var s = Files.list(hostDir.resolve("d"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "c");
        }
    }
}
