package org.openagb.server.internal.context;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.openagb.server.internal.http.ApiException;
import org.openagb.sync.Head;
import org.openagb.sync.SyncEngine;

/**
 * The storage quota of each API key: the bytes of the files in the latest generation of all its contexts. Checked
 * before every upload (a sync upload, a presigned PUT); a sync upload that starts under the quota may pass it by at
 * most what one session holds (its disk quota), a presigned PUT never does. {@code 0} bytes = no quota.
 *
 * <p>Usage is summed from the contexts' manifests and cached per context generation, so a check reads only the
 * manifests that changed since the last one. Thread safe.
 */
public final class StorageQuota {
    private final ContextStore store;
    private final SyncEngine engine;
    private final long bytesPerTenant;
    private final Map<String, long[]> sizes = new ConcurrentHashMap<>(); // context id -> {generation, bytes}

    public StorageQuota(ContextStore store, SyncEngine engine, long bytesPerTenant) {
        if (bytesPerTenant < 0) {
            throw new IllegalArgumentException(
                    "tenant storage quota (" + bytesPerTenant + ") must be 0 (no quota) or > 0 bytes");
        }
        this.store = store;
        this.engine = engine;
        this.bytesPerTenant = bytesPerTenant;
    }

    /** The quota in bytes, {@code 0} for none. */
    public long bytesPerTenant() {
        return bytesPerTenant;
    }

    /** Bytes stored by {@code tenant}'s contexts (their latest generations). */
    public long usage(String tenant) {
        long total = 0;
        int offset = 0;
        while (true) {
            List<ContextRecord> page = store.listUserContexts(tenant, 500, offset);
            for (ContextRecord context : page) {
                total += size(context.id());
            }
            if (page.size() < 500) {
                return total;
            }
            offset += page.size();
        }
    }

    private long size(String contextId) {
        Head head = engine.head(contextId);
        long[] cached = sizes.get(contextId);
        if (cached != null && cached[0] == head.generation()) {
            return cached[1];
        }
        AtomicLong bytes = new AtomicLong();
        engine.forEachEntry(contextId, entry -> bytes.addAndGet(entry.size()));
        sizes.put(contextId, new long[] {head.generation(), bytes.get()});
        return bytes.get();
    }

    /**
     * Bytes {@code tenant} may still store, {@link Long#MAX_VALUE} without a quota.
     */
    public long remaining(String tenant) {
        return bytesPerTenant == 0 ? Long.MAX_VALUE : Math.max(0, bytesPerTenant - usage(tenant));
    }

    /**
     * Refuses to store {@code moreBytes} for {@code tenant} if that would pass the quota.
     *
     * @throws ApiException 429 {@code QuotaExceeded.Storage}, naming the usage, the quota and the fix
     */
    public void requireRoom(String tenant, long moreBytes, String what) {
        if (bytesPerTenant == 0) {
            return;
        }
        long used = usage(tenant);
        if (used + Math.max(0, moreBytes) > bytesPerTenant) {
            throw exceeded(what, used, moreBytes);
        }
    }

    public ApiException exceeded(String what, long used, long moreBytes) {
        return new ApiException(
                429,
                "QuotaExceeded.Storage",
                "Cannot " + what + ": this API key stores " + format(used) + " of its " + format(bytesPerTenant)
                        + " storage quota" + (moreBytes > 0 ? " and this would add " + format(moreBytes) : "")
                        + " (delete or clear contexts, or raise the server's --tenant-storage-gb)");
    }

    static String format(long bytes) {
        return org.openagb.sandbox.SessionLimits.format(bytes);
    }
}
