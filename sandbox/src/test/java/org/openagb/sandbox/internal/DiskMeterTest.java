package org.openagb.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskMeterTest {
    @TempDir
    Path temp;

    @Test
    void measure_sumsFilesOfAllRoots_withoutFollowingSymlinks() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home/project"));
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Path outside = Files.write(temp.resolve("outside"), new byte[100_000]);
        Files.write(home.resolve("a"), new byte[1000]);
        Files.write(tmp.resolve("b"), new byte[500]);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), outside);
        long linkSize = Files.readAttributes(
                        link,
                        java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .size();
        Files.createSymbolicLink(tmp.resolve("dirlink"), temp);

        DiskMeter meter = new DiskMeter(List.of(temp.resolve("home"), tmp), 2000, null);

        long dirLinkSize =
                Files.readSymbolicLink(tmp.resolve("dirlink")).toString().length();
        // The links count with their own (small) size, never with what they point to.
        assertThat(meter.measure()).isEqualTo(1500 + linkSize + dirLinkSize);
        assertThat(meter.overQuota()).isFalse();
        assertThat(meter.wouldExceed(1000)).isTrue();
    }

    @Test
    void refusal_isDecidedOnAFreshMeasurement_afterAChange() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Files.write(home.resolve("big"), new byte[5000]);
        DiskMeter meter = new DiskMeter(List.of(home), 1000, null);
        assertThat(meter.overQuota()).isTrue();
        assertThat(meter.usageText()).isEqualTo("the session uses 4.9 KiB of its 1000 bytes disk quota");

        Files.delete(home.resolve("big"));
        meter.measureAfterChange(); // within the interval: not measured now, only marked stale
        assertThat(meter.overQuota()).isFalse();
    }
}
