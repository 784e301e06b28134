package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether a mount is filled from its context when the session is created.
 *
 * @param autoDownload download the context into the mount at session creation (default {@code true})
 * @param downloadStrategy how; {@code null} means {@link DownloadStrategy#DOWNLOAD_ASYNC}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadPolicy(
        @JsonProperty("autoDownload") boolean autoDownload,
        @JsonProperty("downloadStrategy") DownloadStrategy downloadStrategy) {

    public DownloadPolicy {
        downloadStrategy = downloadStrategy == null ? DownloadStrategy.DOWNLOAD_ASYNC : downloadStrategy;
    }

    /** {@code autoDownload=true}, {@code DownloadAsync}. */
    public static DownloadPolicy defaults() {
        return new DownloadPolicy(true, null);
    }

    /** The default policy with the given {@code autoDownload}. */
    public static DownloadPolicy of(boolean autoDownload) {
        return new DownloadPolicy(autoDownload, null);
    }

    @JsonCreator
    static DownloadPolicy fromJson(
            @JsonProperty("autoDownload") Boolean autoDownload,
            @JsonProperty("downloadStrategy") DownloadStrategy downloadStrategy) {
        return new DownloadPolicy(autoDownload == null || autoDownload, downloadStrategy);
    }
}
