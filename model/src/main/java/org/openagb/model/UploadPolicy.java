package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When and how a mount is uploaded to its context.
 *
 * @param autoUpload upload the mount when the session is released (default {@code true}); a mount without it is
 *     skipped by an unfiltered {@code sync()}
 * @param uploadStrategy when uploads happen; {@code null} means {@link UploadStrategy#UPLOAD_BEFORE_RESOURCE_RELEASE}
 * @param uploadMode one object per file or one archive; {@code null} means {@link UploadMode#FILE}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UploadPolicy(
        @JsonProperty("autoUpload") boolean autoUpload,
        @JsonProperty("uploadStrategy") UploadStrategy uploadStrategy,
        @JsonProperty("uploadMode") UploadMode uploadMode) {

    public UploadPolicy {
        uploadStrategy = uploadStrategy == null ? UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE : uploadStrategy;
        uploadMode = uploadMode == null ? UploadMode.FILE : uploadMode;
    }

    /** {@code autoUpload=true}, {@code UploadBeforeResourceRelease}, {@code File}. */
    public static UploadPolicy defaults() {
        return new UploadPolicy(true, null, null);
    }

    /** The default policy with the given {@code autoUpload}; {@code false} makes a read-only mount. */
    public static UploadPolicy of(boolean autoUpload) {
        return new UploadPolicy(autoUpload, null, null);
    }

    @JsonCreator
    static UploadPolicy fromJson(
            @JsonProperty("autoUpload") Boolean autoUpload,
            @JsonProperty("uploadStrategy") UploadStrategy uploadStrategy,
            @JsonProperty("uploadMode") UploadMode uploadMode) {
        return new UploadPolicy(autoUpload == null || autoUpload, uploadStrategy, uploadMode);
    }
}
