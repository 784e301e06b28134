package org.openagb.sync;

import java.util.List;

/**
 * One page of the differences between two versions, in canonical path order.
 *
 * @param from the generation compared from
 * @param to the generation compared to
 * @param changes at most the page size of changes
 * @param nextPath pass it as {@code after} to get the next page; null on the last page
 */
public record VersionDiff(long from, long to, List<VersionChange> changes, String nextPath) {
    public VersionDiff {
        changes = List.copyOf(changes);
    }
}
