package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.InMemoryObjectStore;

class ContextFilesTest {
    static final String CTX = "ctx";

    @TempDir
    Path tmp;

    InMemoryObjectStore store;
    InMemoryContextHeads heads;
    SyncEngine engine;

    @BeforeEach
    void setUp() {
        store = new InMemoryObjectStore();
        heads = new InMemoryContextHeads();
        engine = SyncEngine.create(
                store,
                heads,
                Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC),
                SyncOptions.defaults().withTempDir(tmp));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        store.assertNoOpenStreams();
    }

    ManifestEntry put(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return engine.putFile(CTX, path, new ByteArrayInputStream(b), b.length);
    }

    String read(String path) throws Exception {
        try (ContextFile f = engine.openFile(CTX, path)) {
            return new String(f.content().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void putFile_thenOpenFile_returnsContentAndMetadata() throws Exception {
        ManifestEntry e = put("/tmp/x/hello.txt", "hello");

        assertThat(read("/tmp/x/hello.txt")).isEqualTo("hello");
        assertThat(e.size()).isEqualTo(5);
        assertThat(e.mtimeMillis()).isEqualTo(5000);
        assertThat(e.uploadedAtMillis()).isEqualTo(5000);
        assertThat(engine.head(CTX).generation()).isEqualTo(1);
    }

    @Test
    void putFile_existingPath_replacesContent() throws Exception {
        put("/a.txt", "one");
        put("/a.txt", "two!");
        put("/empty", "");

        assertThat(read("/a.txt")).isEqualTo("two!");
        assertThat(read("/empty")).isEmpty();
        assertThat(engine.head(CTX).generation()).isEqualTo(3);
    }

    @Test
    void putFile_belowAFile_isRefused() {
        put("/a", "file");

        assertThatThrownBy(() -> put("/a/b.txt", "x"))
                .isInstanceOf(SyncException.class)
                .hasMessage("Cannot put file '/a/b.txt': its parent '/a' is a file in context 'ctx' (delete it first)");
        assertThat(store.list("blobs/")).hasSize(1);
    }

    @Test
    void putFile_atAnImplicitFolder_isRefused() {
        put("/d/x", "x");

        assertThatThrownBy(() -> put("/d", "y"))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot put file '/d': it is a folder");
    }

    @Test
    void openFile_missing_throwsNotFound() {
        assertThatThrownBy(() -> engine.openFile(CTX, "/nope.txt"))
                .isInstanceOf(ContextFileNotFoundException.class)
                .hasMessage("Cannot find file '/nope.txt' in context 'ctx': no such file"
                        + " (list the parent folder to see what exists)");
    }

    @Test
    void listChildren_returnsImmediateChildrenWithImplicitFolders() {
        put("/home/p/a.txt", "a");
        put("/home/p/sub/deep/x.txt", "x");
        put("/home/p/sub/y.txt", "y");
        put("/home/p-other/z.txt", "z");
        put("/home/p b.txt", "b");

        assertThat(engine.listChildren(CTX, "/home/p"))
                .extracting(ManifestEntry::path, ManifestEntry::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/home/p/a.txt", EntryType.FILE),
                        org.assertj.core.groups.Tuple.tuple("/home/p/sub", EntryType.DIRECTORY));
        assertThat(engine.listChildren(CTX, "/home/p/"))
                .extracting(ManifestEntry::name)
                .containsExactly("a.txt", "sub");
        assertThat(engine.listChildren(CTX, "/"))
                .extracting(ManifestEntry::name)
                .containsExactly("home");
        assertThat(engine.listChildren(CTX, "/home"))
                .extracting(ManifestEntry::name)
                .containsExactly("p", "p b.txt", "p-other");
        assertThat(engine.listChildren(CTX, "/nothing")).isEmpty();
    }

    @Test
    void deleteFile_removesFileOrFolderSubtree() {
        put("/d/a.txt", "a");
        put("/d/sub/b.txt", "b");
        put("/e.txt", "e");

        engine.deleteFile(CTX, "/d/a.txt");
        engine.deleteFile(CTX, "/d/sub");

        assertThat(engine.listChildren(CTX, "/"))
                .extracting(ManifestEntry::name)
                .containsExactly("e.txt");
    }

    @Test
    void deleteFile_missing_throwsNotFoundAndCommitsNothing() {
        put("/a", "a");

        assertThatThrownBy(() -> engine.deleteFile(CTX, "/b"))
                .isInstanceOf(ContextFileNotFoundException.class)
                .hasMessageContaining("Cannot find file '/b' in context 'ctx'");
        assertThat(engine.head(CTX).generation()).isEqualTo(1);
    }

    @Test
    void clear_commitsEmptyGeneration_andDeleteAllDataRemovesObjects() {
        put("/a", "a");
        put("/b", "b");

        Head cleared = engine.clear(CTX);

        assertThat(cleared).isEqualTo(new Head(3, null));
        assertThat(engine.listChildren(CTX, "/")).isEmpty();
        assertThat(engine.clear(CTX).generation())
                .as("already empty: no commit")
                .isEqualTo(3);
        assertThat(engine.deleteAllData(CTX)).isEqualTo(4);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void invalidContextId_isRejected() {
        assertThatThrownBy(() -> engine.listChildren("../x", "/"))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot use context id '../x'");
    }
}
