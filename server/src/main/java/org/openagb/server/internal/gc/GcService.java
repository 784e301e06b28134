package org.openagb.server.internal.gc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openagb.server.GcSummary;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.sync.CompactResult;
import org.openagb.sync.GcResult;
import org.openagb.sync.SyncEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of every context, a page of ids at a time ({@link SyncEngine#collectGarbage}): on a schedule in
 * the server and on demand ({@code openagb gc}). One run at a time per process; several nodes may run it at once (a
 * delete of an already deleted object is harmless, and each run keeps what its own marking needs). A run that dies is
 * simply run again: it has no state but the objects themselves.
 */
public final class GcService {
    private static final Logger log = LoggerFactory.getLogger(GcService.class);
    private static final int PAGE = 500;

    /** A pack the head uses less than this share of is rewritten with its live files only. */
    public static final double PACK_LIVE_SHARE = 0.5;

    private final ContextStore contexts;
    private final SyncEngine engine;
    private final Duration grace;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    public GcService(ContextStore contexts, SyncEngine engine, Duration grace, Clock clock) {
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("gc grace (" + grace + ") must be positive: uploads in flight need it");
        }
        this.contexts = contexts;
        this.engine = engine;
        this.grace = grace;
        this.clock = clock;
    }

    /** Collects every context; an empty summary if a run is already going on in this process. */
    public GcSummary collectAll() {
        if (!running.compareAndSet(false, true)) {
            return new GcSummary(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long start = System.nanoTime();
        int count = 0;
        long blobs = 0;
        long manifests = 0;
        long bytes = 0;
        long live = 0;
        long forgotten = 0;
        long packs = 0;
        long copied = 0;
        try {
            String after = "";
            while (true) {
                List<String> page = contexts.idsAfter(after, PAGE);
                for (String id : page) {
                    try {
                        // Compaction first: the packs it rewrites are collected by a later run, after the grace period.
                        CompactResult c =
                                engine.compactPacks(id, clock.instant().minus(grace), PACK_LIVE_SHARE);
                        packs += c.packsRewritten();
                        copied += c.bytesCopied();
                        GcResult r = engine.collectGarbage(id, clock.instant().minus(grace));
                        count++;
                        blobs += r.blobsDeleted();
                        manifests += r.manifestsDeleted();
                        bytes += r.bytesReclaimed();
                        live += r.liveBlobs();
                        forgotten += r.versionsForgotten();
                    } catch (RuntimeException e) {
                        log.warn("event=gc.context.failed context={} error=\"{}\"", id, e.getMessage());
                    }
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1);
            }
        } finally {
            running.set(false);
        }
        GcSummary summary = new GcSummary(
                count,
                blobs,
                manifests,
                bytes,
                live,
                (System.nanoTime() - start) / 1_000_000,
                forgotten,
                packs,
                copied);
        log.info(
                "event=gc.done contexts={} blobsDeleted={} manifestsDeleted={} bytesReclaimed={} liveBlobs={}"
                        + " versionsForgotten={} packsRewritten={} bytesCopied={} ms={}",
                summary.contexts(),
                summary.blobsDeleted(),
                summary.manifestsDeleted(),
                summary.bytesReclaimed(),
                summary.liveBlobs(),
                summary.versionsForgotten(),
                summary.packsRewritten(),
                summary.bytesCopied(),
                summary.millis());
        return summary;
    }
}
