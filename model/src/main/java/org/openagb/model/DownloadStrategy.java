package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How mounts are downloaded at session creation. Only {@code DownloadAsync} exists. Serialised as its wire string ({@link #wireName()}). */
public enum DownloadStrategy {
    DOWNLOAD_ASYNC("DownloadAsync");

    private final String wireName;

    DownloadStrategy(String wireName) {
        this.wireName = wireName;
    }

    /** The exact string used in policy JSON. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire string (case-sensitive).
     *
     * @throws PolicyException if {@code value} is not one of the wire strings; the message lists the valid ones
     */
    @JsonCreator
    public static DownloadStrategy fromWireName(String value) {
        return Checks.parseEnum(DownloadStrategy.class, "downloadStrategy", value, DownloadStrategy::wireName);
    }
}
