package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sync.TestTrees.describe;
import static org.openagb.sync.TestTrees.write;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openagb.storage.InMemoryObjectStore;
import org.openagb.storage.LocalObjectStore;
import org.openagb.sync.PathScope.WhiteList;

class ArchiveModeTest {
    static final String CTX = "SdkCtx-archive";
    static final String MOUNT = "/home/project";
    static final String ARCHIVE = "/home/project/project.zip";
    static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    @TempDir
    Path tmp;

    InMemoryObjectStore store;
    SyncEngine engine;

    @BeforeEach
    void setUp() {
        store = new InMemoryObjectStore();
        engine = SyncEngine.create(
                store,
                new InMemoryContextHeads(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        store.assertNoOpenStreams();
    }

    Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String text(int approxBytes) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (sb.length() < approxBytes) {
            sb.append("line ").append(i++).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return sb.toString();
    }

    /** A tree with empty dirs, modes, mtimes, unicode names, big and already-compressed files and symlinks. */
    Path sampleTree(String name) throws IOException {
        Path d = dir(name);
        write(d, "README.md", text(3000), 1_600_000_000_123L, "rw-r--r--");
        write(d, "bin/run.sh", "#!/bin/sh\necho hi\n", 1_600_000_001_000L, "rwxr-x---");
        write(d, "secret/key", "k", 1_600_000_002_000L, "rw-------");
        write(d, "unicode/héllo wörld ✓.txt", "ünïcödé", 1_600_000_003_000L, "rw-r--r--");
        write(d, "img/pic.png", text(5000), 1_600_000_004_000L, "rw-r--r--");
        write(d, "data/big.bin", random(9 << 20, 1), 1_600_000_005_000L, "rw-r--r--");
        write(d, "data/big.log", text(9 << 20), 1_600_000_006_000L, "rw-r--r--");
        write(d, "data/small-random.bin", random(3000, 2), 1_600_000_007_000L, "rw-r--r--");
        write(d, "empty-file", "", 1_600_000_008_000L, "rw-r--r--");
        Files.createDirectories(d.resolve("empty/nested-empty"));
        Files.createSymbolicLink(d.resolve("bin/readme-link"), Path.of("../README.md"));
        Files.setLastModifiedTime(d.resolve("empty/nested-empty"), FileTime.fromMillis(1_500_000_000_000L));
        Files.setLastModifiedTime(d.resolve("empty"), FileTime.fromMillis(1_500_000_001_000L));
        Files.setLastModifiedTime(d.resolve("bin"), FileTime.fromMillis(1_500_000_002_000L));
        return d;
    }

    Path archiveBytesTo(Path file) throws IOException {
        try (ContextFile f = engine.openFile(CTX, ARCHIVE)) {
            Files.copy(f.content(), file);
        }
        return file;
    }

    static Map<String, ZipArchiveEntry> entries(Path zip) throws IOException {
        Map<String, ZipArchiveEntry> out = new TreeMap<>();
        try (ZipFile zf = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : Collections.list(zf.getEntries())) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }

    ArchiveDownloadResult download(Path into, boolean extract, boolean toCurrent, boolean deleteSrc) {
        return engine.downloadArchive(
                ArchiveDownloadRequest.of(CTX, MOUNT, into).withExtractPolicy(extract, toCurrent, deleteSrc));
    }

    @Test
    void roundTrip_restoresTreeWithEmptyDirsModesMtimesUnicodeAndSymlinks() throws Exception {
        Path src = sampleTree("src");
        Files.createSymbolicLink(src.resolve("escape"), Path.of("/etc/passwd"));
        Map<String, String> before = describe(src);

        ArchiveUploadResult up = engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, src));
        Path dst = dir("dst");
        ArchiveDownloadResult down = download(dst, true, true, true);

        assertThat(up.archivePath()).isEqualTo(ARCHIVE);
        assertThat(up.skipped()).containsExactly(MOUNT + "/escape");
        assertThat(up.files()).isEqualTo(9);
        assertThat(up.symlinks()).isEqualTo(1);
        before.remove("escape");
        assertThat(describe(dst)).isEqualTo(before);
        assertThat(down.found()).isTrue();
        assertThat(down.zipFile()).isNull();
        assertThat(down.files()).isEqualTo(9);
        assertThat(describe(src)).containsKey("escape"); // the source is untouched
    }

    @Test
    void archive_isAStandardZip_withStoredCompressedFilesAndDeflatedText() throws Exception {
        Path src = sampleTree("src");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, src));
        Path zip = archiveBytesTo(tmp.resolve("out.zip"));

        Map<String, ZipArchiveEntry> e = entries(zip);
        assertThat(e.get("img/pic.png").getMethod()).isEqualTo(ZipEntry.STORED);
        assertThat(e.get("data/big.bin").getMethod()).isEqualTo(ZipEntry.STORED);
        assertThat(e.get("data/small-random.bin").getMethod()).isEqualTo(ZipEntry.STORED);
        assertThat(e.get("README.md").getMethod()).isEqualTo(ZipEntry.DEFLATED);
        assertThat(e.get("data/big.log").getMethod()).isEqualTo(ZipEntry.DEFLATED);
        assertThat(e.get("data/big.log").getCompressedSize()).isLessThan((9 << 20) / 4);
        assertThat(e).containsKeys("empty/", "empty/nested-empty/", "unicode/héllo wörld ✓.txt");
        assertThat(e.get("bin/run.sh").getUnixMode()).isEqualTo(UnixStat.FILE_FLAG | 0750);
        assertThat(e.get("bin/readme-link").isUnixSymlink()).isTrue();
        assertThat(e.get("empty/").getUnixMode() & UnixStat.DIR_FLAG).isEqualTo(UnixStat.DIR_FLAG);
        assertThat(e.keySet()).allMatch(n -> !n.startsWith("/") && !n.contains("\\"));

        ManifestEntry stored = engine.stat(CTX, ARCHIVE).orElseThrow();
        assertThat(stored.size()).isEqualTo(Files.size(zip));
        assertThat(stored.blob().offset()).isZero();
        assertThat(stored.blob().length()).isEqualTo(Files.size(zip));
        assertThat(store.list("blobs/" + CTX + "/")).hasSize(1); // its own object, not packed

        run(List.of("unzip", "-t", zip.toString()), "install unzip (apt-get install unzip)");
        run(
                List.of(
                        "python3",
                        "-c",
                        "import sys, zipfile; assert zipfile.ZipFile(sys.argv[1]).testzip() is None",
                        zip.toString()),
                "install python3");
        Path unzipped = dir("unzipped");
        run(List.of("unzip", "-q", zip.toString(), "-d", unzipped.toString()), "install unzip");
        assertThat(Files.readString(unzipped.resolve("data/big.log"))).isEqualTo(text(9 << 20));
        assertThat(Files.isSymbolicLink(unzipped.resolve("bin/readme-link"))).isTrue();
        assertThat(Files.isDirectory(unzipped.resolve("empty/nested-empty"))).isTrue();
        assertThat(Files.getLastModifiedTime(unzipped.resolve("README.md")).toMillis() / 1000)
                .isEqualTo(1_600_000_000L);
    }

    static void run(List<String> cmd, String hint) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("'" + cmd.get(0) + "' is missing: " + hint, e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s failed:%n%s", cmd, out).isZero();
    }

    @Test
    void archivePath_isMountPlusLastSegmentZip() throws Exception {
        assertThat(ContextPaths.archivePath("/tmp")).isEqualTo("/tmp/tmp.zip");
        assertThat(ContextPaths.archivePath("/home/project/.config/google-chrome/"))
                .isEqualTo("/home/project/.config/google-chrome/google-chrome.zip");
        assertThatThrownBy(() -> ContextPaths.archivePath("/")).isInstanceOf(SyncException.class);

        Path d = dir("t");
        write(d, "a.txt", "a");
        ArchiveUploadResult r = engine.uploadArchive(ArchiveUploadRequest.of(CTX, "/tmp", d));

        assertThat(r.archivePath()).isEqualTo("/tmp/tmp.zip");
        assertThat(engine.listChildren(CTX, "/tmp"))
                .extracting(ManifestEntry::path)
                .containsExactly("/tmp/tmp.zip");
    }

    @Test
    void upload_replacesEveryOtherEntryUnderTheMount_andKeepsOthers() throws Exception {
        // Entries written by file operations (they do not lock the context's mode, a File-mode upload would).
        Path d = dir("s");
        write(d, "sub/x.txt", "x");
        engine.putFile(CTX, MOUNT + "/old.txt", new ByteArrayInputStream(new byte[] {2}), 1);
        engine.putFile(CTX, MOUNT + "/sub/x.txt", new ByteArrayInputStream(new byte[] {'x'}), 1);
        engine.putFile(CTX, "/home/other/keep.txt", new ByteArrayInputStream(new byte[] {1}), 1);

        ArchiveUploadResult r = engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));

        List<String> paths = new ArrayList<>();
        engine.forEachEntry(CTX, e -> paths.add(e.path()));
        assertThat(paths).containsExactly("/home/other/keep.txt", ARCHIVE);
        assertThat(r.entriesReplaced()).isEqualTo(2);
        assertThat(r.commitAttempts()).isEqualTo(1);
    }

    @Test
    void reupload_ofAnUnchangedTree_commitsNothing() throws Exception {
        Path d = dir("s");
        write(d, "a.txt", text(2000));
        ArchiveUploadResult first = engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        ArchiveUploadResult second = engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));

        assertThat(second.commitAttempts()).isZero();
        assertThat(second.generation()).isEqualTo(first.generation());
        assertThat(store.list("blobs/")).hasSize(1);
    }

    @Test
    void upload_skipsTheArchiveThatAPreviousDownloadLeftInTheTree() throws Exception {
        Path d = dir("s");
        write(d, "a.txt", "a");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        download(d, true, true, false); // leaves project.zip in the tree
        assertThat(d.resolve("project.zip")).exists();

        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));

        assertThat(entries(archiveBytesTo(tmp.resolve("o.zip")))).containsOnlyKeys("a.txt");
    }

    @ParameterizedTest(name = "extract={0} toCurrent={1} deleteSrc={2}")
    @CsvSource({
        "false, false, false",
        "false, true, true",
        "true, true, true",
        "true, true, false",
        "true, false, true",
        "true, false, false"
    })
    void download_followsTheExtractPolicy(boolean extract, boolean toCurrent, boolean deleteSrc) throws Exception {
        Path d = dir("s");
        write(d, "a/b.txt", "b");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        Path dst = dir("dst");

        ArchiveDownloadResult r = download(dst, extract, toCurrent, deleteSrc);

        boolean zipPlaced = !extract || !deleteSrc;
        assertThat(Files.exists(dst.resolve("project.zip"))).isEqualTo(zipPlaced);
        assertThat(Files.exists(dst.resolve("a/b.txt"))).isEqualTo(extract && toCurrent);
        assertThat(Files.exists(dst.resolve("project/a/b.txt"))).isEqualTo(extract && !toCurrent);
        List<String> top;
        try (var s = Files.list(dst)) {
            top = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> expected = new ArrayList<>();
        if (extract) {
            expected.add(toCurrent ? "a" : "project");
        }
        if (zipPlaced) {
            expected.add("project.zip");
        }
        assertThat(top).containsExactlyElementsOf(expected.stream().sorted().toList());
        assertThat(r.zipFile()).isEqualTo(zipPlaced ? dst.toRealPath().resolve("project.zip") : null);
        if (zipPlaced) {
            assertThat(entries(dst.resolve("project.zip"))).containsOnlyKeys("a/", "a/b.txt");
        }
    }

    @Test
    void download_withoutAnArchive_doesNothing() throws Exception {
        Path dst = dir("dst");
        write(dst, "mine.txt", "m");

        ArchiveDownloadResult r = download(dst, true, true, true);

        assertThat(r.found()).isFalse();
        assertThat(describe(dst)).containsOnlyKeys("mine.txt");
    }

    @Test
    void download_ofAMappedMount_readsTheArchiveOfTheSourcePrefix() throws Exception {
        Path d = dir("s");
        write(d, "x.txt", "x");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, "/home/orig", d));
        Path dst = dir("dst");

        ArchiveDownloadResult r = engine.downloadArchive(
                new ArchiveDownloadRequest(CTX, "/home/orig", MOUNT, dst, null, true, true, false));

        assertThat(r.archivePath()).isEqualTo("/home/orig/orig.zip");
        assertThat(dst.resolve("x.txt")).hasContent("x");
        assertThat(dst.resolve("orig.zip")).exists();
    }

    @Test
    void whiteList_appliesWhenPacking() throws Exception {
        Path d = dir("s");
        write(d, "src/a.py", "a");
        write(d, "src/gen/g.py", "g");
        write(d, "docs/readme", "r");
        PathScope scope = PathScope.of(MOUNT, List.of(new WhiteList("/src", List.of("gen"))));

        engine.uploadArchive(new ArchiveUploadRequest(CTX, MOUNT, d, scope));

        assertThat(entries(archiveBytesTo(tmp.resolve("o.zip")))).containsOnlyKeys("src/", "src/a.py");
    }

    @Test
    void whiteList_appliesWhenExtracting() throws Exception {
        Path d = dir("s");
        write(d, "src/a.py", "a");
        write(d, "src/gen/g.py", "g");
        write(d, "docs/readme", "r");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        Path dst = dir("dst");
        PathScope scope = PathScope.of(MOUNT, List.of(new WhiteList("src", List.of("gen"))));

        ArchiveDownloadResult r = engine.downloadArchive(
                ArchiveDownloadRequest.of(CTX, MOUNT, dst).withScope(scope).withExtractPolicy(true, true, true));

        assertThat(describe(dst)).containsOnlyKeys("src", "src/a.py");
        assertThat(r.skippedByScope()).isEqualTo(4); // docs/, docs/readme, src/gen/, src/gen/g.py
    }

    @Test
    void extraction_intoAnExistingTree_mergesAndReplacesFiles() throws Exception {
        Path d = dir("s");
        write(d, "a/new.txt", "new");
        write(d, "a/same.txt", "from archive");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        Path dst = dir("dst");
        write(dst, "a/same.txt", "local");
        write(dst, "a/local-only.txt", "stays");

        download(dst, true, true, true);

        assertThat(dst.resolve("a/same.txt")).hasContent("from archive");
        assertThat(dst.resolve("a/new.txt")).hasContent("new");
        assertThat(dst.resolve("a/local-only.txt")).hasContent("stays");
    }

    @Test
    void extraction_conflictingWithTheSession_failsAndChangesNothing() throws Exception {
        Path d = dir("s");
        write(d, "a/x.txt", "x");
        write(d, "b.txt", "b");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        Path dst = dir("dst");
        write(dst, "a", "a file where the archive has a directory");
        Files.createDirectories(dst.resolve("outside"));
        Map<String, String> before = describe(dst);

        assertThatThrownBy(() -> download(dst, true, true, true))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining(ARCHIVE)
                .hasMessageContaining("a directory in the archive");
        assertThat(describe(dst)).isEqualTo(before);
    }

    // ---- hostile archives ----

    record Spec(String name, String content, int unixMode) {}

    static byte[] zip(Spec... specs) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bos)) {
            for (Spec s : specs) {
                ZipArchiveEntry e = new ZipArchiveEntry(s.name);
                if (s.unixMode != 0) {
                    e.setUnixMode(s.unixMode);
                }
                z.putArchiveEntry(e);
                z.write(s.content.getBytes(StandardCharsets.UTF_8));
                z.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    static Spec file(String name) {
        return new Spec(name, "evil", 0);
    }

    Path victim() throws IOException {
        Path dst = dir("victim/home/project");
        write(dst, "keep.txt", "precious");
        write(dst, "etc/x", "original");
        write(tmp, "victim/home/outside.txt", "outside");
        return dst;
    }

    void assertRejected(byte[] zip, String reason) throws Exception {
        engine.putFile(CTX, ARCHIVE, new ByteArrayInputStream(zip), zip.length);
        for (boolean toCurrent : new boolean[] {true, false}) {
            Path dst = victim();
            Map<String, String> before = describe(tmp.resolve("victim"));

            assertThatThrownBy(() -> download(dst, true, toCurrent, true))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot extract archive '" + ARCHIVE + "'")
                    .hasMessageContaining(reason);
            assertThat(describe(tmp.resolve("victim"))).isEqualTo(before);
        }
    }

    @Test
    void hostile_dotDotName_isRejected() throws Exception {
        assertRejected(zip(file("ok.txt"), file("../evil")), "'..'");
    }

    @Test
    void hostile_nestedDotDotName_isRejected() throws Exception {
        assertRejected(zip(file("a/../../x")), "'..'");
    }

    @Test
    void hostile_absoluteNames_areRejected() throws Exception {
        assertRejected(zip(file("/abs")), "absolute");
        assertRejected(zip(file("C:/x")), "absolute");
        assertRejected(zip(file("..\\..\\x")), "unsafe"); // read as ../../x
    }

    @Test
    void hostile_symlinkThenWriteThroughIt_isRejected() throws Exception {
        assertRejected(
                zip(new Spec("link", "/", UnixStat.LINK_FLAG | 0777), file("link/etc/x")), "symlink entry 'link'");
        assertRejected(zip(new Spec("link", "..", UnixStat.LINK_FLAG | 0777), file("ok")), "leaves the archive's root");
        // a link inside the target, followed by an entry below it: the directory and the link collide
        assertRejected(zip(new Spec("link", "etc", UnixStat.LINK_FLAG | 0777), file("link/x")), "collides");
    }

    @Test
    void hostile_duplicateEntries_areRejected() throws Exception {
        assertRejected(zip(file("a.txt"), file("a.txt")), "more than once");
        assertRejected(zip(file("a"), file("a/b")), "both a file and a directory");
    }

    @Test
    void corrupt_truncatedArchive_isRejected() throws Exception {
        byte[] good = zip(file("a.txt"), new Spec("b.txt", text(10_000), 0));
        assertRejected(java.util.Arrays.copyOf(good, good.length - 30), "not a readable zip");
        assertRejected(java.util.Arrays.copyOf(good, good.length / 2), "not a readable zip");
        assertRejected(new byte[] {1, 2, 3}, "not a readable zip");
    }

    @Test
    void corrupt_flippedByteInCompressedData_failsItsCheck() throws Exception {
        byte[] good = zip(file("a.txt"), new Spec("b.txt", text(50_000), 0));
        byte[] bad = good.clone();
        int b = indexOf(bad, "b.txt".getBytes(StandardCharsets.UTF_8)); // local header name of b.txt
        bad[b + 400] ^= 0x10;

        engine.putFile(CTX, ARCHIVE, new ByteArrayInputStream(bad), bad.length);
        Path dst = victim();
        Map<String, String> before = describe(tmp.resolve("victim"));
        assertThatThrownBy(() -> download(dst, true, true, false))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot extract archive '" + ARCHIVE + "'")
                .hasMessageContaining("entry 'b.txt'")
                .hasMessageMatching("(?s).*(CRC|corrupt).*");
        assertThat(describe(tmp.resolve("victim"))).isEqualTo(before);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void storedBlobCorruption_isDetectedBeforeUnpacking() throws Exception {
        Path d = dir("s");
        write(d, "a.txt", "a");
        engine.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
        ManifestEntry e = engine.stat(CTX, ARCHIVE).orElseThrow();
        byte[] data;
        try (var in = store.get(e.blob().objectKey())) {
            data = in.readAllBytes();
        }
        data[10] ^= 1;
        store.put(e.blob().objectKey(), new ByteArrayInputStream(data), data.length);
        Path dst = victim();
        Map<String, String> before = describe(dst);

        assertThatThrownBy(() -> download(dst, true, true, true))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("does not match its hash");
        assertThat(describe(dst)).isEqualTo(before);
    }

    @Test
    void localObjectStore_roundTripOfAFewBigFiles() throws Exception {
        SyncEngine local = SyncEngine.create(
                new LocalObjectStore(tmp.resolve("store")),
                new InMemoryContextHeads(),
                Clock.systemUTC(),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")));
        try {
            Path d = dir("s");
            Map<String, Long> sizes = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                write(d, "big" + i + ".txt", text(20 << 20), 1_600_000_000_000L, "rw-r--r--");
                sizes.put("big" + i + ".txt", (long) text(20 << 20).length());
            }
            write(d, "small.txt", "s");
            local.uploadArchive(ArchiveUploadRequest.of(CTX, MOUNT, d));
            Path dst = dir("dst");
            local.downloadArchive(ArchiveDownloadRequest.of(CTX, MOUNT, dst).withExtractPolicy(true, true, true));

            assertThat(describe(dst)).isEqualTo(describe(d));
            try (var s = Files.list(tmp.resolve("store/tmp"))) {
                assertThat(s).isEmpty();
            }
        } finally {
            local.close();
        }
    }
}
