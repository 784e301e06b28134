package org.openagb.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openagb.sync.BlobRef;
import org.openagb.sync.ManifestEntry;

class ReadBatcherTest {
    final List<String> tasks = new ArrayList<>();
    final ReadBatcher batcher = new ReadBatcher(new ReadBatcher.Sink() {
        @Override
        public void batch(ReadBatcher.Batch b) {
            tasks.add("batch " + b.key() + " [" + b.start() + "," + b.end() + ") "
                    + b.jobs().stream().map(j -> j.entry().path()).toList());
        }

        @Override
        public void single(DownloadJob big) {
            tasks.add("single " + big.entry().path());
        }
    });

    static DownloadJob file(String name, String key, long offset, long length) {
        BlobRef blob = key == null ? null : new BlobRef(key, offset, length);
        return new DownloadJob(
                ManifestEntry.file("/m/" + name, length, 0, 0644, 0, blob, 0), Path.of("/unused/" + name), true);
    }

    @Test
    void consecutiveFilesOfOnePack_areOneRangedRead() {
        batcher.add(file("a", "pack1", 0, 10));
        batcher.add(file("b", "pack1", 10, 20));
        batcher.add(file("c", "pack1", 30, 5));
        batcher.flush();

        assertThat(tasks).containsExactly("batch pack1 [0,35) [/m/a, /m/b, /m/c]");
    }

    @Test
    void anotherPack_aBackwardOffset_orAWideGap_startsANewBatch() {
        batcher.add(file("a", "pack1", 0, 10));
        batcher.add(file("b", "pack2", 0, 10));
        batcher.add(file("c", "pack2", 0, 10)); // backwards within the same pack
        batcher.add(file("d", "pack2", 10 + ReadBatcher.MAX_GAP + 1, 10));
        batcher.flush();

        assertThat(tasks).hasSize(4);
    }

    @Test
    void aSmallGap_isReadThrough() {
        batcher.add(file("a", "pack1", 0, 10));
        batcher.add(file("b", "pack1", 10 + ReadBatcher.MAX_GAP, 10));
        batcher.flush();

        assertThat(tasks).singleElement().asString().startsWith("batch pack1 [0,");
    }

    @Test
    void aBigFile_isATaskOfItsOwn_andClosesTheOpenBatch() {
        batcher.add(file("a", "pack1", 0, 10));
        batcher.add(file("big", "blob9", 0, ReadBatcher.SMALL_MAX + 1));
        batcher.add(file("b", "pack1", 10, 10));
        batcher.flush();

        assertThat(tasks).containsExactly("batch pack1 [0,10) [/m/a]", "single /m/big", "batch pack1 [10,20) [/m/b]");
    }

    @Test
    void aBatch_isClosedAtItsFileCount() {
        for (int i = 0; i < ReadBatcher.BATCH_FILES + 1; i++) {
            batcher.add(file("f" + i, "pack1", i, 1));
        }
        batcher.flush();

        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(1)).isEqualTo("batch pack1 [256,257) [/m/f256]");
    }

    @Test
    void emptyFiles_needNoRead_andJoinTheCurrentBatch() {
        batcher.add(file("empty1", null, 0, 0));
        batcher.add(file("empty2", null, 0, 0));
        batcher.flush();
        batcher.flush(); // nothing open: no task

        assertThat(tasks).containsExactly("batch null [0,0) [/m/empty1, /m/empty2]");
    }
}
