package org.openagb.sdk;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.model.ContextSync;

/**
 * What {@link AGB#create(CreateSessionParams)} asks for. Build with {@link #builder()}.
 *
 * @param imageId the sandbox image, default {@code agb-code-space-1}; must not be blank
 * @param contextSyncs contexts to mount, in order
 * @param labels labels of the session, in insertion order
 * @param idleTimeout release the session after this long without activity (sent in whole seconds as {@code timeout});
 *     {@code null} or zero means the server default (5 minutes)
 * @param mcpPolicyId opaque policy id, or {@code null}
 * @throws IllegalArgumentException if {@code imageId} is blank, a label key or value is null, or {@code idleTimeout}
 *     is negative
 */
public record CreateSessionParams(
        String imageId,
        List<ContextSync> contextSyncs,
        Map<String, String> labels,
        Duration idleTimeout,
        String mcpPolicyId) {

    /** The image used when none is given. */
    public static final String DEFAULT_IMAGE_ID = "agb-code-space-1";

    public CreateSessionParams {
        imageId = imageId == null ? DEFAULT_IMAGE_ID : imageId;
        if (imageId.isBlank()) {
            throw new IllegalArgumentException("Cannot create session with image id '" + imageId
                    + "': it is blank (use an image id such as '" + DEFAULT_IMAGE_ID + "')");
        }
        contextSyncs = contextSyncs == null ? List.of() : List.copyOf(contextSyncs);
        Map<String, String> copy = new LinkedHashMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("Cannot create session with label '" + key + "=" + value
                            + "': label keys and values must not be null (use \"\" for an empty value)");
                }
                copy.put(key, value);
            });
        }
        labels = Collections.unmodifiableMap(copy);
        if (idleTimeout != null && idleTimeout.isNegative()) {
            throw new IllegalArgumentException("Cannot create session with idle timeout '" + idleTimeout
                    + "': it is negative (use a positive duration, or null for the server default)");
        }
    }

    /** The default image, no mounts, no labels. */
    public static CreateSessionParams defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CreateSessionParams}. Not thread-safe. */
    public static final class Builder {
        private String imageId = DEFAULT_IMAGE_ID;
        private List<ContextSync> contextSyncs = List.of();
        private Map<String, String> labels = Map.of();
        private Duration idleTimeout;
        private String mcpPolicyId;

        private Builder() {}

        public Builder imageId(String imageId) {
            this.imageId = imageId;
            return this;
        }

        public Builder contextSyncs(List<ContextSync> contextSyncs) {
            this.contextSyncs = contextSyncs;
            return this;
        }

        public Builder contextSyncs(ContextSync... contextSyncs) {
            this.contextSyncs = List.of(contextSyncs);
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder mcpPolicyId(String mcpPolicyId) {
            this.mcpPolicyId = mcpPolicyId;
            return this;
        }

        public CreateSessionParams build() {
            return new CreateSessionParams(imageId, contextSyncs, labels, idleTimeout, mcpPolicyId);
        }
    }
}
