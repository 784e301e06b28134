package org.openagb.server.internal.sync;

import java.util.Optional;
import org.openagb.server.internal.http.ApiException;

/**
 * A parsed SyncContext request: a direction, and either one (context, path) or every mount.
 *
 * @param direction upload or download
 * @param target the one (context, path) to sync; empty = every mount that the direction's policy allows
 */
public record SyncRequest(SyncDirection direction, Optional<Target> target) {

    /** An explicit (context, path): a mount of the session, or any directory of it (an additive File-mode sync). */
    public record Target(String contextId, String path) {}

    /**
     * Parses SyncContext's parameters.
     *
     * @throws ApiException 400 naming the value if the mode is unknown or only one of contextId and path is given
     */
    public static SyncRequest parse(String mode, String contextId, String path) {
        SyncDirection direction = SyncDirection.parse(mode);
        boolean hasContext = contextId != null && !contextId.isBlank();
        boolean hasPath = path != null && !path.isBlank();
        if (hasContext != hasPath) {
            throw ApiException.invalid("Cannot sync with only " + (hasContext ? "contextId" : "path")
                    + ": pass contextId and path together, or neither to sync every mount");
        }
        return new SyncRequest(direction, hasContext ? Optional.of(new Target(contextId, path)) : Optional.empty());
    }
}
