package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a mount is stored: {@code File} keeps one object per file, {@code Archive} packs the mount into one zip object
 * under the mount path. Serialised as its wire string ({@link #wireName()}). */
public enum UploadMode {
    FILE("File"),
    ARCHIVE("Archive");

    private final String wireName;

    UploadMode(String wireName) {
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
    public static UploadMode fromWireName(String value) {
        return Checks.parseEnum(UploadMode.class, "uploadMode", value, UploadMode::wireName);
    }
}
