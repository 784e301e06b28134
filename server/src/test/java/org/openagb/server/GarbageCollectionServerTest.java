package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openagb.sync.VersionRetention;

/** Garbage collection through a running server: what sessions superseded goes, what they use stays. */
class GarbageCollectionServerTest extends ServerTestBase {
    static final Duration GC_GRACE = Duration.ofMillis(500);
    /** Only the head is kept: the superseded generation is not a retained version (ContextVersionsTest keeps some). */
    static final VersionRetention VERSION_RETENTION = new VersionRetention(1, Duration.ZERO);

    @Test
    void aSupersededVersion_isCollected_andTheLatestStillDownloads_whileASessionKeepsWorking() {
        String ctx = wire.context("gc-server");
        String writer = wire.session(ctx, "/home/gc", DEFAULT_POLICY);
        wire.shell(writer, "head -c 3000000 /dev/urandom > /home/gc/big.bin && sha256sum /home/gc/big.bin > /tmp/v1");
        wire.sync(writer);
        wire.shell(writer, "head -c 3000000 /dev/urandom > /home/gc/big.bin");
        wire.sync(writer);
        String latest = wire.shell(writer, "sha256sum < /home/gc/big.bin");
        WireClient.sleep(GC_GRACE.toMillis() * 3);

        GcSummary first = server.collectGarbage();
        GcSummary again = server.collectGarbage();
        String reader = wire.session(ctx, "/home/gc", DEFAULT_POLICY);

        assertThat(first.blobsDeleted()).isGreaterThanOrEqualTo(1);
        assertThat(first.bytesReclaimed()).isGreaterThanOrEqualTo(3_000_000);
        assertThat(again.blobsDeleted()).as("nothing left to collect").isZero();
        assertThat(wire.shell(reader, "sha256sum < /home/gc/big.bin")).isEqualTo(latest);
        wire.shell(writer, "echo more > /home/gc/more.txt");
        wire.sync(writer);
        assertThat(wire.shell(reader, "true; echo ok")).isEqualTo("ok\n");
        wire.release(reader);
        wire.release(writer);
    }

    @Test
    void aPackMostlyDeleted_isRewrittenByOneRun_andItsSpaceReclaimedByALaterOne() {
        String ctx = wire.context("gc-compact");
        String writer = wire.session(ctx, "/home/pk", DEFAULT_POLICY);
        wire.shell(
                writer,
                "mkdir -p /home/pk/d && for i in $(seq 1 300); do head -c 4000 /dev/urandom > /home/pk/d/f$i;"
                        + " done");
        wire.sync(writer);
        wire.shell(writer, "rm /home/pk/d/f1?? /home/pk/d/f2?? /home/pk/d/f3?? && sha256sum /home/pk/d/* > /tmp/sums");
        wire.sync(writer);
        WireClient.sleep(GC_GRACE.toMillis() * 3);

        GcSummary compacted = server.collectGarbage();
        WireClient.sleep(GC_GRACE.toMillis() * 3);
        GcSummary reclaimed = server.collectGarbage();
        String reader = wire.session(ctx, "/home/pk", DEFAULT_POLICY);

        assertThat(compacted.packsRewritten()).isEqualTo(1);
        assertThat(compacted.bytesCopied()).isEqualTo(99 * 4000L);
        assertThat(reclaimed.bytesReclaimed()).as("the old pack").isGreaterThanOrEqualTo(300 * 4000L);
        assertThat(wire.shell(reader, "cd /home/pk/d && ls | wc -l")).isEqualTo("99\n");
        assertThat(wire.shell(reader, "sha256sum /home/pk/d/*")).isEqualTo(wire.shell(writer, "cat /tmp/sums"));
        wire.release(reader);
        wire.release(writer);
    }
}
