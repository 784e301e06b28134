package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How long uploaded objects are kept.
 *
 * @param lifecycle retention after the last upload; {@code null} means {@link Lifecycle#LIFECYCLE_FOREVER}
 * @param paths directories relative to the mount that the lifecycle applies to, {@code ""} meaning the whole mount;
 *     {@code null} means {@code [""]}
 * @throws PolicyException if a path is {@code null} or contains a wildcard ({@code * ? [ ]})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecyclePolicy(
        @JsonProperty("lifecycle") Lifecycle lifecycle,
        @JsonProperty("paths") List<String> paths) {

    private static final List<String> WHOLE_MOUNT = List.of("");

    public RecyclePolicy {
        lifecycle = lifecycle == null ? Lifecycle.LIFECYCLE_FOREVER : lifecycle;
        paths = Checks.copyPaths(paths, WHOLE_MOUNT, "recycle path");
        for (String path : paths) {
            if (Checks.hasWildcard(path)) {
                throw new PolicyException("Cannot use recycle path '" + path + "': " + Checks.WILDCARDS
                        + "; use an exact directory path relative to the mount, such as '"
                        + Checks.exactPrefix(path, "/data") + "', or '' for the whole mount");
            }
        }
    }

    /** {@code Lifecycle_Forever} on the whole mount. */
    public static RecyclePolicy defaults() {
        return new RecyclePolicy(null, null);
    }

    /** The given lifecycle on the whole mount. */
    public static RecyclePolicy of(Lifecycle lifecycle) {
        return new RecyclePolicy(lifecycle, null);
    }

    @JsonCreator
    static RecyclePolicy fromJson(
            @JsonProperty("lifecycle") Lifecycle lifecycle, @JsonProperty("paths") List<String> paths) {
        return new RecyclePolicy(lifecycle, paths);
    }
}
