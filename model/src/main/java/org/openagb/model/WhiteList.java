package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a {@link BWList}: a file or directory to sync, minus some exclusions.
 *
 * @param path exact path relative to the mount, with or without a leading {@code /} (e.g. {@code /src});
 *     {@code null} means {@code ""}
 * @param excludePaths exact paths relative to {@code path} to leave out; {@code null} means none
 * @throws PolicyException if a path is {@code null} inside the list or contains a wildcard ({@code * ? [ ]})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WhiteList(
        @JsonProperty("path") String path,
        @JsonProperty("excludePaths") List<String> excludePaths) {

    public WhiteList {
        path = path == null ? "" : path;
        if (Checks.hasWildcard(path)) {
            throw new PolicyException("Cannot use white-list path '" + path + "': " + Checks.WILDCARDS
                    + "; use an exact directory path relative to the mount, such as '"
                    + Checks.exactPrefix(path, "/src") + "'");
        }
        excludePaths = Checks.copyPaths(excludePaths, List.of(), "exclude path");
        for (String exclude : excludePaths) {
            if (Checks.hasWildcard(exclude)) {
                throw new PolicyException("Cannot use exclude path '" + exclude + "' of white-list path '" + path
                        + "': " + Checks.WILDCARDS + "; use an exact path relative to the white-list path, such as '"
                        + Checks.exactPrefix(exclude, "/node_modules") + "'");
            }
        }
    }

    /** A white-list entry with no exclusions. */
    public WhiteList(String path) {
        this(path, List.of());
    }

    @JsonCreator
    static WhiteList fromJson(
            @JsonProperty("path") String path, @JsonProperty("excludePaths") List<String> excludePaths) {
        return new WhiteList(path, excludePaths);
    }
}
