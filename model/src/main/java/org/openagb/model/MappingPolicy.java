package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reads a context's data from where another mount stored it: on download, objects stored under {@code path} (possibly
 * Windows style, such as {@code c:\Users\me}) appear under this mount's path. Uploads still store under the mount path.
 *
 * @param path the original mount path; must not be blank
 * @throws PolicyException if {@code path} is {@code null} or blank
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MappingPolicy(@JsonProperty("path") String path) {

    public MappingPolicy {
        if (path == null || path.isBlank()) {
            throw new PolicyException("Cannot use mapping path '" + path
                    + "': it is blank (give the path the data was originally synced from, or omit mappingPolicy)");
        }
    }

    @JsonCreator
    static MappingPolicy fromJson(@JsonProperty("path") String path) {
        return new MappingPolicy(path);
    }
}
