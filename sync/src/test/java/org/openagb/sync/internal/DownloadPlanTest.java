package org.openagb.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sync.BlobRef;
import org.openagb.sync.DownloadRequest;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.PathScope;

class DownloadPlanTest {
    @TempDir
    Path tmp;

    static ManifestEntry file(String path, long size, long mtime) {
        return ManifestEntry.file(
                path, size, mtime, 0644, 0, size == 0 ? null : new BlobRef("blobs/ctx/x", 0, size), 0);
    }

    @Test
    void select_keepsEntriesUnderTheSource_rewritesThemToTheMount_andAppliesTheScope() {
        DownloadPlan plan = new DownloadPlan(new DownloadRequest(
                "ctx",
                "/c:/data",
                "/home/data",
                tmp,
                PathScope.of(List.of(new PathScope.WhiteList("src"))),
                tmp.resolve("base")));

        assertThat(plan.select(file("/c:/data/src/a.txt", 1, 0)).path()).isEqualTo("/home/data/src/a.txt");
        assertThat(plan.select(file("/c:/data/notes.txt", 1, 0))).isNull();
        assertThat(plan.select(file("/c:/database/src/a.txt", 1, 0))).isNull();
        assertThat(plan.relative(plan.select(file("/c:/data/src/a.txt", 1, 0)))).isEqualTo("src/a.txt");
    }

    @Test
    void fileAction_createsWhatIsMissing_keepsWhatMatches_replacesTheRest_andRefusesADirectory() throws Exception {
        Path same = Files.writeString(tmp.resolve("same"), "12345");
        Files.setLastModifiedTime(same, FileTime.fromMillis(1_000_000));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), same);
        Path dir = Files.createDirectory(tmp.resolve("dir"));

        assertThat(DownloadPlan.fileAction(file("/m/x", 5, 1_000_000), null)).isEqualTo(DownloadPlan.FileAction.CREATE);
        assertThat(DownloadPlan.fileAction(file("/m/x", 5, 1_000_000), attrs(same)))
                .isEqualTo(DownloadPlan.FileAction.KEEP);
        assertThat(DownloadPlan.fileAction(file("/m/x", 5, 2_000_000), attrs(same)))
                .isEqualTo(DownloadPlan.FileAction.REPLACE);
        assertThat(DownloadPlan.fileAction(file("/m/x", 6, 1_000_000), attrs(same)))
                .isEqualTo(DownloadPlan.FileAction.REPLACE);
        assertThat(DownloadPlan.fileAction(file("/m/x", 5, 1_000_000), attrs(link)))
                .as("a symlink is replaced, never written through, even when its target matches")
                .isEqualTo(DownloadPlan.FileAction.REPLACE);
        assertThat(DownloadPlan.fileAction(file("/m/x", 5, 1_000_000), attrs(dir)))
                .isEqualTo(DownloadPlan.FileAction.REFUSE_DIRECTORY);
    }

    static BasicFileAttributes attrs(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
