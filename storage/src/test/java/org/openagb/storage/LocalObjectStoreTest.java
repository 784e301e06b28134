package org.openagb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path root;

    @Override
    protected ObjectStore newStore() {
        return new LocalObjectStore(root);
    }

    @Test
    void put_leavesNoTemporaryFiles() throws Exception {
        put("a/b", bytes("x"));
        assertThatThrownBy(() -> store.put("a/c", new ByteArrayInputStream(bytes("x")), 9))
                .isInstanceOf(StorageException.class);

        try (var s = Files.list(root.resolve("tmp"))) {
            assertThat(s).isEmpty();
        }
        assertThat(root.resolve("objects/a/b")).hasContent("x");
    }

    @Test
    void reopen_seesExistingObjects() {
        put("k/1", bytes("data"));

        assertThat(readAll(new LocalObjectStore(root).get("k/1"))).isEqualTo(bytes("data"));
    }

    @Test
    void delete_prunesEmptyDirectories() {
        put("x/y/z", bytes("1"));
        store.delete("x/y/z");

        assertThat(root.resolve("objects/x")).doesNotExist();
    }

    @Test
    void put_keyUnderAnExistingObject_failsClearly() {
        put("a", bytes("1"));

        assertThatThrownBy(() -> put("a/b", bytes("2")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot put object 'a/b'");
    }

    @Test
    void objectReadThroughSymlinkInStore_isNotFollowed() throws Exception {
        Path outside = Files.writeString(root.resolve("secret"), "s");
        Files.createDirectories(root.resolve("objects/l"));
        Files.createSymbolicLink(root.resolve("objects/l/link"), outside);

        assertThatThrownBy(() -> store.get("l/link")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void create_leavesNoTemporaryFilesAfterCommitOrAbort() throws Exception {
        try (ObjectWriter w = store.create("a/b")) {
            w.write(bytes("x"));
            w.commit();
        }
        try (ObjectWriter w = store.create("a/c")) {
            w.write(bytes("y"));
        }

        try (var s = Files.list(root.resolve("tmp"))) {
            assertThat(s).isEmpty();
        }
        assertThat(root.resolve("objects/a/b")).hasContent("x");
        assertThat(root.resolve("objects/a/c")).doesNotExist();
    }

    @Test
    void create_keyUnderAnExistingObject_failsAtCommit() throws Exception {
        put("a", bytes("1"));
        ObjectWriter w = store.create("a/b");
        w.write(2);

        assertThatThrownBy(w::commit)
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot put object 'a/b'");
        try (var s = Files.list(root.resolve("tmp"))) {
            assertThat(s).isEmpty();
        }
    }
}
