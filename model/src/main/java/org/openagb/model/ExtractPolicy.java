package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a download does with the archive that {@link UploadMode#ARCHIVE} made. Ordinary {@code .zip} files are never
 * extracted.
 *
 * @param extract unpack the archive (default {@code true}); {@code false} leaves {@code <mount>/<name>.zip} in place
 * @param deleteSrcFile remove the archive after unpacking (default {@code true})
 * @param extractToCurrentFolder unpack into the mount itself; {@code false} (default) unpacks into a subfolder named
 *     after the archive
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExtractPolicy(
        @JsonProperty("extract") boolean extract,
        @JsonProperty("deleteSrcFile") boolean deleteSrcFile,
        @JsonProperty("extractToCurrentFolder") boolean extractToCurrentFolder) {

    /** {@code extract=true}, {@code deleteSrcFile=true}, {@code extractToCurrentFolder=false}. */
    public static ExtractPolicy defaults() {
        return new ExtractPolicy(true, true, false);
    }

    @JsonCreator
    static ExtractPolicy fromJson(
            @JsonProperty("extract") Boolean extract,
            @JsonProperty("deleteSrcFile") Boolean deleteSrcFile,
            @JsonProperty("extractToCurrentFolder") Boolean extractToCurrentFolder) {
        return new ExtractPolicy(
                extract == null || extract,
                deleteSrcFile == null || deleteSrcFile,
                extractToCurrentFolder != null && extractToCurrentFolder);
    }
}
