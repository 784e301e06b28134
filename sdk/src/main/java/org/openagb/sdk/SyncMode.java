package org.openagb.sdk;

/** The direction of {@link SessionContext#sync(String, String, SyncMode)}. */
public enum SyncMode {
    /** Session → context (the default when no mode is given). */
    UPLOAD("upload"),
    /** Context → session. */
    DOWNLOAD("download");

    private final String wireName;

    SyncMode(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code mode} query value of SyncContext. */
    public String wireName() {
        return wireName;
    }
}
