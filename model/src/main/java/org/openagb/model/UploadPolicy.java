package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When and how a mount is uploaded to its context.
 *
 * @param autoUpload upload the mount when the session is released (default {@code true}); a mount without it is
 *     skipped by an unfiltered {@code sync()}
 * @param uploadStrategy when uploads happen; {@code null} means {@link UploadStrategy#UPLOAD_BEFORE_RESOURCE_RELEASE}
 * @param uploadMode one object per file or one archive; {@code null} means {@link UploadMode#FILE}
 * @param period minutes between two periodic checkpoints of the mount (1-1440), as the AgentBay SDKs send it; {@code
 *     null} (the AGB SDKs send none) means the server's checkpoint interval
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UploadPolicy(
        @JsonProperty("autoUpload") boolean autoUpload,
        @JsonProperty("uploadStrategy") UploadStrategy uploadStrategy,
        @JsonProperty("uploadMode") UploadMode uploadMode,

        @JsonProperty("period") @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer period) {

    /** The longest checkpoint period a mount may ask for, in minutes: a day. */
    public static final int MAX_PERIOD_MINUTES = 1440;

    public UploadPolicy {
        uploadStrategy = uploadStrategy == null ? UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE : uploadStrategy;
        uploadMode = uploadMode == null ? UploadMode.FILE : uploadMode;
        if (period != null && (period < 1 || period > MAX_PERIOD_MINUTES)) {
            throw new PolicyException("Cannot use uploadPolicy.period " + period + ": it is in minutes, 1 to "
                    + MAX_PERIOD_MINUTES + " (leave it out to use the server's checkpoint interval)");
        }
    }

    public UploadPolicy(boolean autoUpload, UploadStrategy uploadStrategy, UploadMode uploadMode) {
        this(autoUpload, uploadStrategy, uploadMode, null);
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
            @JsonProperty("uploadMode") UploadMode uploadMode,
            @JsonProperty("period") Integer period) {
        return new UploadPolicy(autoUpload == null || autoUpload, uploadStrategy, uploadMode, period);
    }
}
