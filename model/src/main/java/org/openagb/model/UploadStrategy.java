package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * When uploads happen. Only {@code UploadBeforeResourceRelease} exists: a mount with {@code autoUpload} is uploaded
 * when its session is released. Serialised as its wire string ({@link #wireName()}).
 */
public enum UploadStrategy {
    UPLOAD_BEFORE_RESOURCE_RELEASE("UploadBeforeResourceRelease");

    private final String wireName;

    UploadStrategy(String wireName) {
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
    public static UploadStrategy fromWireName(String value) {
        return Checks.parseEnum(UploadStrategy.class, "uploadStrategy", value, UploadStrategy::wireName);
    }
}
