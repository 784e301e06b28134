package org.openagb.server.internal.sync;

import java.util.Locale;
import org.openagb.server.internal.http.ApiException;

/** Which way a sync task moves data; its wire name is SyncContext's {@code mode} and a task's {@code taskType}. */
public enum SyncDirection {
    UPLOAD("upload"),
    DOWNLOAD("download");

    private final String wireName;

    SyncDirection(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** SyncContext's {@code mode}: absent or blank = upload; any case. */
    public static SyncDirection parse(String mode) {
        if (mode == null || mode.isBlank()) {
            return UPLOAD;
        }
        for (SyncDirection d : values()) {
            if (d.wireName.equals(mode.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw ApiException.invalid("Cannot sync with mode '" + mode + "': use 'upload' or 'download'");
    }

    /** A stored task type. */
    public static SyncDirection fromWireName(String name) {
        for (SyncDirection d : values()) {
            if (d.wireName.equals(name)) {
                return d;
            }
        }
        throw new IllegalStateException("Unknown task type '" + name + "' in the task registry");
    }
}
