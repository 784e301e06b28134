package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Limits what is synced, for uploads and downloads alike.
 *
 * @param whiteLists the entries to sync; empty (the default, also for {@code null}) means everything
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BWList(@JsonProperty("whiteLists") List<WhiteList> whiteLists) {

    public BWList {
        if (whiteLists == null) {
            whiteLists = List.of();
        } else if (whiteLists.stream().anyMatch(java.util.Objects::isNull)) {
            throw new PolicyException(
                    "Cannot use white list 'null': entries must not be null (remove it or use new WhiteList(path))");
        } else {
            whiteLists = List.copyOf(whiteLists);
        }
    }

    /** A list of the given entries. */
    public static BWList of(WhiteList... whiteLists) {
        return new BWList(List.of(whiteLists));
    }

    /** The empty list: sync everything. */
    public static BWList defaults() {
        return new BWList(List.of());
    }

    @JsonCreator
    static BWList fromJson(@JsonProperty("whiteLists") List<WhiteList> whiteLists) {
        return new BWList(whiteLists);
    }
}
