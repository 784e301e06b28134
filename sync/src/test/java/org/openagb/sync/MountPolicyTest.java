package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sync.TestTrees.describe;
import static org.openagb.sync.TestTrees.read;
import static org.openagb.sync.TestTrees.write;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openagb.model.BWList;
import org.openagb.model.DeletePolicy;
import org.openagb.model.ExtractPolicy;
import org.openagb.model.MappingPolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.model.UploadPolicy;
import org.openagb.model.WhiteList;
import org.openagb.storage.InMemoryObjectStore;

/**
 * A mount's policy semantics, decided by the engine: mode choice and lock, mapping, white list, delete and extract
 * policies. In-memory store and heads, so each test runs in milliseconds and needs no sandbox.
 */
class MountPolicyTest {
    static final String CTX = "SdkCtx-mount";
    static final String MOUNT = "/home/project";
    static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    static final SyncPolicy FILES = SyncPolicy.defaults();

    @TempDir
    Path tmp;

    InMemoryObjectStore store;
    InMemoryContextHeads heads;
    SyncEngine engine;
    int sessions;

    @BeforeEach
    void setUp() {
        store = new InMemoryObjectStore();
        heads = new InMemoryContextHeads();
        engine = SyncEngine.create(
                store,
                heads,
                Clock.fixed(NOW, ZoneOffset.UTC),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        store.assertNoOpenStreams();
    }

    /** A fresh session's mount: its own host directory and base snapshot. */
    MountRequest mount(String mountPath, SyncPolicy policy) throws Exception {
        Path session = tmp.resolve("session-" + ++sessions);
        Path dir = Files.createDirectories(session.resolve("fs" + mountPath));
        return new MountRequest(CTX, mountPath, dir, session.resolve("base.manifest"), policy);
    }

    static SyncPolicy archive(boolean extract, boolean deleteSrcFile, boolean extractToCurrentFolder) {
        return SyncPolicy.builder()
                .uploadPolicy(new UploadPolicy(true, null, UploadMode.ARCHIVE))
                .extractPolicy(new ExtractPolicy(extract, deleteSrcFile, extractToCurrentFolder))
                .build();
    }

    void put(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        engine.putFile(CTX, path, new ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    void fileMode_uploadThenDownload_restoresTheTreeInAnotherSession() throws Exception {
        MountRequest first = mount(MOUNT, FILES);
        write(first.hostDir(), "src/a.txt", "a");
        write(first.hostDir(), "b.txt", "b");

        MountOutcome up = engine.uploadMount(first);
        MountRequest second = mount(MOUNT, FILES);
        MountOutcome down = engine.downloadMount(second);

        assertThat(up).isInstanceOf(MountOutcome.FilesUploaded.class);
        assertThat(up.message()).isEmpty();
        assertThat(down).isInstanceOf(MountOutcome.FilesDownloaded.class);
        assertThat(down.complete()).isTrue();
        assertThat(describe(second.hostDir())).isEqualTo(describe(first.hostDir()));
        assertThat(engine.head(CTX).lockedMode()).contains(UploadMode.FILE);
    }

    @Test
    void mapping_downloadsDataStoredUnderAnotherPath_intoTheMount_andUploadsUnderTheMount() throws Exception {
        // Stored as the server stores client paths: ContextPaths.parse turns the drive into /c:/...
        put(ContextPaths.parse("C:\\Users\\dev\\data\\notes.txt"), "from windows");
        SyncPolicy mapped = SyncPolicy.builder()
                .mappingPolicy(new MappingPolicy("C:\\Users\\dev\\data"))
                .build();
        MountRequest m = mount("/home/data", mapped);

        engine.downloadMount(m);
        write(m.hostDir(), "new.txt", "new");
        engine.uploadMount(m);

        assertThat(read(m.hostDir().resolve("notes.txt"))).isEqualTo("from windows");
        assertThat(engine.stat(CTX, "/home/data/new.txt")).isPresent();
        assertThat(engine.stat(CTX, "/c:/Users/dev/data/new.txt")).isEmpty();
        assertThat(engine.stat(CTX, "/c:/Users/dev/data/notes.txt")).isPresent();
    }

    @Test
    void whiteList_limitsUploadAndDownload_toItsPathsMinusExcludes() throws Exception {
        SyncPolicy scoped = SyncPolicy.builder()
                .bwList(BWList.of(new WhiteList("src", java.util.List.of("build"))))
                .build();
        MountRequest m = mount(MOUNT, scoped);
        write(m.hostDir(), "src/main.c", "main");
        write(m.hostDir(), "src/build/main.o", "object");
        write(m.hostDir(), "notes.txt", "private");

        engine.uploadMount(m);

        assertThat(engine.stat(CTX, MOUNT + "/src/main.c")).isPresent();
        assertThat(engine.stat(CTX, MOUNT + "/src/build/main.o")).isEmpty();
        assertThat(engine.stat(CTX, MOUNT + "/notes.txt")).isEmpty();

        put(MOUNT + "/outside.txt", "outside the white list");
        MountRequest other = mount(MOUNT, scoped);
        engine.downloadMount(other);
        assertThat(describe(other.hostDir())).containsOnlyKeys("src", "src/main.c");
    }

    @ParameterizedTest(name = "syncLocalFile={0}")
    @CsvSource({"true, false", "false, true"})
    void deletePolicy_decidesWhetherALocalDeletionReachesTheContext(boolean syncLocalFile, boolean kept)
            throws Exception {
        SyncPolicy policy = SyncPolicy.builder()
                .deletePolicy(new DeletePolicy(syncLocalFile))
                .build();
        MountRequest m = mount(MOUNT, policy);
        write(m.hostDir(), "gone.txt", "soon deleted");
        engine.uploadMount(m);

        Files.delete(m.hostDir().resolve("gone.txt"));
        engine.uploadMount(m);

        assertThat(engine.stat(CTX, MOUNT + "/gone.txt").isPresent()).isEqualTo(kept);
    }

    @Test
    void fileUpload_overwritingAnotherSessionsNewerChange_namesTheFileInItsMessage() throws Exception {
        MountRequest seed = mount(MOUNT, FILES);
        write(seed.hostDir(), "shared.txt", "v1");
        engine.uploadMount(seed);
        MountRequest a = mount(MOUNT, FILES);
        MountRequest b = mount(MOUNT, FILES);
        engine.downloadMount(a);
        engine.downloadMount(b);
        write(a.hostDir(), "shared.txt", "from a", 1_700_000_000_000L, "rw-r--r--");
        write(b.hostDir(), "shared.txt", "from b", 1_700_000_001_000L, "rw-r--r--");

        engine.uploadMount(a);
        MountOutcome last = engine.uploadMount(b);

        assertThat(last.conflicts()).containsExactly(MOUNT + "/shared.txt");
        assertThat(last.message())
                .contains("1 file(s) changed by another session")
                .contains("/shared.txt");
    }

    @Test
    void download_thatCannotWriteAnEntry_isIncomplete_andItsMessageNamesTheEntry() throws Exception {
        put(MOUNT + "/dir/x.txt", "x");
        put(MOUNT + "/y.txt", "y");
        MountRequest m = mount(MOUNT, FILES);
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(m.hostDir().resolve("dir"), elsewhere);

        MountOutcome down = engine.downloadMount(m);

        assertThat(down.complete()).isFalse();
        assertThat(down.message()).contains("1 of the context's entries").contains(MOUNT + "/dir/x.txt");
        assertThat(read(m.hostDir().resolve("y.txt"))).isEqualTo("y");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void archiveMode_storesOneZipNamedAfterTheMount_andItsDownloadExtractsIt() throws Exception {
        MountRequest first = mount(MOUNT, archive(true, true, true));
        write(first.hostDir(), "Default/Cookies", "cookies");
        write(first.hostDir(), "Local State", "prefs");

        MountOutcome up = engine.uploadMount(first);
        MountRequest second = mount(MOUNT, archive(true, true, true));
        MountOutcome down = engine.downloadMount(second);

        assertThat(up).isInstanceOfSatisfying(MountOutcome.ArchiveUploaded.class, a -> {
            assertThat(a.packed()).isTrue();
            assertThat(a.archive().path()).isEqualTo(MOUNT + "/project.zip");
        });
        assertThat(engine.listChildren(CTX, MOUNT))
                .extracting(ManifestEntry::path)
                .containsExactly(MOUNT + "/project.zip");
        assertThat(down).isInstanceOf(MountOutcome.ArchiveDownloaded.class);
        assertThat(describe(second.hostDir())).containsOnlyKeys("Default", "Default/Cookies", "Local State");
        assertThat(engine.head(CTX).lockedMode()).contains(UploadMode.ARCHIVE);
    }

    @ParameterizedTest(name = "extract={0} deleteSrcFile={1} extractToCurrentFolder={2}")
    @CsvSource({
        "false, true,  true,  project.zip",
        "true,  true,  false, project|project/x.txt",
        "true,  false, true,  project.zip|x.txt",
        "true,  true,  true,  x.txt",
    })
    void extractPolicy_placesTheZip_orASubfolder_orBoth(
            boolean extract, boolean deleteSrcFile, boolean toCurrentFolder, String expected) throws Exception {
        MountRequest seed = mount(MOUNT, archive(true, true, true));
        write(seed.hostDir(), "x.txt", "x");
        engine.uploadMount(seed);

        MountRequest m = mount(MOUNT, archive(extract, deleteSrcFile, toCurrentFolder));
        engine.downloadMount(m);

        assertThat(describe(m.hostDir()).keySet()).containsExactly(expected.split("\\|"));
    }

    @Test
    void withoutExtraction_theUploadStoresTheSessionsZipAsItIs() throws Exception {
        MountRequest seed = mount(MOUNT, archive(true, true, true));
        write(seed.hostDir(), "one.txt", "one");
        engine.uploadMount(seed);
        MountRequest editor = mount(MOUNT, archive(false, true, true));
        engine.downloadMount(editor);
        byte[] edited = "not really a zip, but the session's own bytes".getBytes(StandardCharsets.UTF_8);
        Files.write(editor.hostDir().resolve("project.zip"), edited);

        MountOutcome up = engine.uploadMount(editor);

        assertThat(up)
                .isInstanceOfSatisfying(
                        MountOutcome.ArchiveUploaded.class,
                        a -> assertThat(a.packed()).isFalse());
        try (ContextFile f = engine.openFile(CTX, MOUNT + "/project.zip")) {
            assertThat(f.content().readAllBytes()).isEqualTo(edited);
        }
    }

    @Test
    void aContextLockedToFileMode_refusesAnArchiveUpload_namingBothModes_andCommitsNothing() throws Exception {
        MountRequest files = mount(MOUNT, FILES);
        write(files.hostDir(), "a.txt", "a");
        engine.uploadMount(files);
        Head before = engine.head(CTX);

        MountRequest archived = mount(MOUNT, archive(true, true, true));
        write(archived.hostDir(), "b.txt", "b");

        assertThatThrownBy(() -> engine.uploadMount(archived))
                .isInstanceOf(ModeLockedException.class)
                .hasMessageContaining(CTX)
                .hasMessageContaining("in Archive mode")
                .hasMessageContaining("first synced in File mode");
        assertThat(engine.head(CTX)).isEqualTo(before);
    }

    @Test
    void aContextLockedToArchiveMode_refusesAFileUpload_andDownloadsStillExtract() throws Exception {
        MountRequest archived = mount(MOUNT, archive(true, true, true));
        write(archived.hostDir(), "a.txt", "a");
        engine.uploadMount(archived);

        MountRequest files = mount(MOUNT, FILES);
        MountOutcome down = engine.downloadMount(files);

        assertThat(down).isInstanceOf(MountOutcome.ArchiveDownloaded.class);
        assertThatThrownBy(() -> engine.uploadMount(files))
                .isInstanceOf(ModeLockedException.class)
                .hasMessageContaining("in File mode")
                .hasMessageContaining("first synced in Archive mode");
    }

    @Test
    void theModeLock_isSetByTheFirstCommit_notByAnUploadThatCommitsNothing_andSurvivesFileOperations()
            throws Exception {
        engine.uploadMount(mount(MOUNT, FILES)); // an empty mount: nothing to commit
        assertThat(engine.head(CTX).lockedMode()).isEmpty();

        MountRequest archived = mount(MOUNT, archive(true, true, true));
        write(archived.hostDir(), "a.txt", "a");
        engine.uploadMount(archived);
        put("/elsewhere/file.txt", "a file operation commits too");
        engine.deleteFile(CTX, "/elsewhere/file.txt");

        assertThat(engine.head(CTX).lockedMode()).contains(UploadMode.ARCHIVE);
    }

    @Test
    void theModeLock_isCheckedAgainAtCommit_whenAnotherSessionLockedTheContextMeanwhile() throws Exception {
        // A File upload that read an unlocked head, then lost the race to an Archive upload: its retry must fail.
        AtomicBoolean interfered = new AtomicBoolean();
        SyncEngine[] rival = new SyncEngine[1];
        ContextHeads racing = new ContextHeads() {
            @Override
            public Head head(String contextId) {
                return heads.head(contextId);
            }

            @Override
            public boolean compareAndSet(String contextId, long expectedGeneration, Head next, VersionStats stats) {
                if (next.mode() == UploadMode.FILE && interfered.compareAndSet(false, true)) {
                    try {
                        MountRequest other = mount(MOUNT, archive(true, true, true));
                        write(other.hostDir(), "theirs.txt", "theirs");
                        rival[0].uploadMount(other);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return heads.compareAndSet(contextId, expectedGeneration, next, stats);
            }

            @Override
            public java.util.List<ContextVersion> versions(String contextId) {
                return heads.versions(contextId);
            }

            @Override
            public int forgetVersions(String contextId, java.util.Collection<Long> generations) {
                return heads.forgetVersions(contextId, generations);
            }
        };
        rival[0] = SyncEngine.create(
                store,
                heads,
                Clock.fixed(NOW, ZoneOffset.UTC),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch-rival")));
        try (SyncEngine racer = SyncEngine.create(
                store,
                racing,
                Clock.fixed(NOW, ZoneOffset.UTC),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch-racer")))) {
            MountRequest mine = mount(MOUNT, FILES);
            write(mine.hostDir(), "mine.txt", "mine");

            assertThatThrownBy(() -> racer.uploadMount(mine)).isInstanceOf(ModeLockedException.class);
        } finally {
            rival[0].close();
        }
        assertThat(interfered).isTrue();
        assertThat(engine.head(CTX).lockedMode()).contains(UploadMode.ARCHIVE);
        assertThat(engine.stat(CTX, MOUNT + "/mine.txt")).isEmpty();
    }
}
