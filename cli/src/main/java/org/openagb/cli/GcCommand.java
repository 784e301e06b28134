package org.openagb.cli;

import org.openagb.server.GarbageCollection;
import org.openagb.server.GcSummary;
import org.openagb.server.ServerConfig;
import picocli.CommandLine.Command;

/**
 * {@code openagb gc}: one garbage collection of the storage the server options name, now, without starting a server;
 * safe while servers run on it (only what is unreferenced and older than {@code --gc-grace-seconds} goes).
 */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        description = "Delete the unreferenced blobs, packs and manifests of every context now (takes the storage"
                + " options of `server`: --data-dir, --database-url, --s3-…, --gc-grace-seconds, and the version"
                + " retention --keep-versions / --keep-version-days, which must be the servers').")
final class GcCommand extends ServerCommand {
    @Override
    public Integer call() {
        GcSummary s;
        ServerConfig config;
        try {
            config = config(); // its usage errors (exit 2) pass through, before any storage is touched
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CliException(CliException.FAILED, "openagb: cannot collect garbage: " + e.getMessage());
        }
        try {
            s = GarbageCollection.run(config);
        } catch (RuntimeException e) {
            throw new CliException(CliException.FAILED, "openagb: cannot collect garbage: " + e.getMessage());
        }
        System.out.printf(
                "collected %d context(s): %d blob(s) and %d manifest(s) deleted, %d bytes reclaimed, %d blob(s) live,"
                        + " %d version(s) past retention forgotten, %d half-empty pack(s) rewritten (%d bytes copied),"
                        + " %d ms%n",
                s.contexts(),
                s.blobsDeleted(),
                s.manifestsDeleted(),
                s.bytesReclaimed(),
                s.liveBlobs(),
                s.versionsForgotten(),
                s.packsRewritten(),
                s.bytesCopied(),
                s.millis());
        return 0;
    }
}
