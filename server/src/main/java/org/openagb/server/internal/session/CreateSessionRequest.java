package org.openagb.server.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openagb.model.PolicyException;
import org.openagb.model.SyncPolicy;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Json;

/**
 * A createSession request, parsed at the route (WIRE.md §2.1): everything in it is well-formed; whether the image,
 * the contexts and the mount paths are acceptable is the service's to decide.
 *
 * @param imageId the image asked for (blank = none given)
 * @param mounts the {@code persistenceDataList} items, in order, with their parsed policies
 * @param labelsJson the labels as a JSON object of strings ({@code {}} when none)
 * @param idleTimeout the {@code timeout} in seconds when positive; empty = the server's default
 * @param mcpPolicyId the {@code mcpPolicyId}, if any
 */
public record CreateSessionRequest(
        String imageId,
        List<MountSpec> mounts,
        String labelsJson,
        Optional<Duration> idleTimeout,
        Optional<String> mcpPolicyId) {

    /**
     * One {@code persistenceDataList} item: a context id, the path as the client wrote it, the policy, and the
     * extension field {@code version}: the generation of a past version to mount read-only (null: the current one).
     */
    public record MountSpec(String contextId, String path, SyncPolicy policy, Long version) {}

    public CreateSessionRequest {
        mounts = List.copyOf(mounts);
    }

    /**
     * Parses the body of createSession.
     *
     * @throws ApiException 400 naming the bad value: a list that is not an array, an item without contextId, a policy
     *     that is not SyncPolicy JSON, labels that are not an object, a negative or fractional timeout, an
     *     mcpPolicyId over 256 characters
     */
    public static CreateSessionRequest parse(String imageId, JsonNode body) {
        List<MountSpec> mounts = new ArrayList<>();
        JsonNode list = body.path("persistenceDataList");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw ApiException.invalid("persistenceDataList must be a JSON array of {contextId, path, policy}");
            }
            for (JsonNode item : list) {
                String contextId = item.path("contextId").asText("");
                String path = item.path("path").asText("");
                if (contextId.isBlank()) {
                    throw ApiException.invalid("persistenceDataList item for path '" + path + "' has no contextId");
                }
                mounts.add(new MountSpec(
                        contextId,
                        path,
                        parsePolicy(item.path("policy"), path),
                        parseVersion(item.path("version"), path)));
            }
        }
        Optional<Duration> idle = Optional.empty();
        JsonNode timeout = body.path("timeout");
        if (!timeout.isMissingNode() && !timeout.isNull()) {
            if (!timeout.canConvertToLong() || timeout.asLong() < 0) {
                throw ApiException.invalid("Cannot use timeout '" + timeout
                        + "': it must be a whole number of seconds (0 or absent = the server default)");
            }
            if (timeout.asLong() > 0) {
                idle = Optional.of(Duration.ofSeconds(timeout.asLong()));
            }
        }
        Optional<String> policyId = body.path("mcpPolicyId").isTextual()
                ? Optional.of(body.path("mcpPolicyId").asText())
                : Optional.empty();
        if (policyId.isPresent() && policyId.get().length() > 256) {
            // The column is VARCHAR(256), which PostgreSQL enforces: refuse clearly instead of failing the insert.
            throw ApiException.invalid("mcpPolicyId is " + policyId.get().length() + " characters long (at most 256)");
        }
        return new CreateSessionRequest(
                imageId == null ? "" : imageId, mounts, parseLabels(body.path("labels")), idle, policyId);
    }

    /** The extension field {@code version} of a mount: absent, null or "" = the current content. */
    static Long parseVersion(JsonNode version, String path) {
        if (version.isMissingNode()
                || version.isNull()
                || (version.isTextual() && version.asText().isBlank())) {
            return null;
        }
        long g = -1;
        if (version.isIntegralNumber()) {
            g = version.asLong();
        } else if (version.isTextual()) {
            try {
                g = Long.parseLong(version.asText().trim());
            } catch (NumberFormatException e) {
                g = -1;
            }
        }
        if (g < 1) {
            throw ApiException.invalid("persistenceDataList item for path '" + path + "' has version '"
                    + Json.abbreviate(version.isTextual() ? version.asText() : version.toString())
                    + "': it must be a generation number >= 1 (ListContextVersions lists them), or absent to mount"
                    + " the current content");
        }
        return g;
    }

    static SyncPolicy parsePolicy(JsonNode policyNode, String path) {
        if (policyNode.isMissingNode()
                || policyNode.isNull()
                || (policyNode.isTextual() && policyNode.asText().isBlank())) {
            return SyncPolicy.defaults();
        }
        String text = policyNode.isTextual() ? policyNode.asText() : policyNode.toString();
        try {
            return Json.MAPPER.readValue(text, SyncPolicy.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof PolicyException cause) {
                throw ApiException.invalid(cause.getMessage());
            }
            throw ApiException.invalid("Cannot parse the policy of mount '" + path + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            if (e.getCause() instanceof PolicyException cause) {
                throw ApiException.invalid(cause.getMessage());
            }
            String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getMessage();
            throw ApiException.invalid("Cannot parse the policy of mount '" + path + "' ('" + Json.abbreviate(text)
                    + "'): " + detail + " (send a SyncPolicy JSON object as a string)");
        }
    }

    static String parseLabels(JsonNode labels) {
        if (labels.isMissingNode() || labels.isNull()) {
            return "{}";
        }
        JsonNode parsed = labels.isTextual() ? Json.parse("labels", labels.asText()) : labels;
        if (!parsed.isObject()) {
            throw ApiException.invalid("Cannot use labels '" + Json.abbreviate(labels.asText())
                    + "': they must be a JSON object of string values, such as {\"project\": \"x\"}");
        }
        Map<String, String> map = new LinkedHashMap<>();
        parsed.fields()
                .forEachRemaining(e -> map.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
        return Json.write(map);
    }
}
