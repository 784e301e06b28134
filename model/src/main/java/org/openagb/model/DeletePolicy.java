package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an upload does with context objects whose local file is gone.
 *
 * @param syncLocalFile {@code true} (default): an upload mirrors the mount and deletes such objects; {@code false}:
 *     uploads only add and overwrite
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeletePolicy(@JsonProperty("syncLocalFile") boolean syncLocalFile) {

    /** {@code syncLocalFile=true}. */
    public static DeletePolicy defaults() {
        return new DeletePolicy(true);
    }

    @JsonCreator
    static DeletePolicy fromJson(@JsonProperty("syncLocalFile") Boolean syncLocalFile) {
        return new DeletePolicy(syncLocalFile == null || syncLocalFile);
    }
}
