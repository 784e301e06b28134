package org.openagb.model;

/**
 * Mounts a context into a session at {@code path} under {@code policy}: one {@code persistenceDataList} item of
 * createSession.
 *
 * <p>Unlike the official SDKs, which silently drop a ContextSync whose policy is {@code null}, a {@code null} policy
 * here means {@link SyncPolicy#defaults()}, so every ContextSync produces a mount.
 *
 * @param contextId the id of the context to mount, such as {@code SdkCtx-…}; must not be blank
 * @param path absolute path of the mount inside the session, such as {@code /home/project}
 * @param policy the sync rules; {@code null} means {@link SyncPolicy#defaults()}
 * @param version an OpenAGB extension: the generation of a past version of the context to mount read-only (it is
 *     downloaded and never uploaded; see {@code docs/versions.md}); {@code null} mounts the current content
 * @throws PolicyException if {@code contextId} is blank, {@code path} is not absolute or {@code version} is below 1
 */
public record ContextSync(String contextId, String path, SyncPolicy policy, Long version) {

    public ContextSync {
        if (contextId == null || contextId.isBlank()) {
            throw new PolicyException("Cannot mount context '" + contextId
                    + "': the context id is blank (use the id of agb.context().get(name, true).context())");
        }
        if (path == null || !path.startsWith("/")) {
            throw new PolicyException(
                    "Cannot mount context '" + contextId + "' at path '" + path
                            + "': the path is not absolute (use an absolute directory in the session, such as '/home/project')");
        }
        policy = policy == null ? SyncPolicy.defaults() : policy;
        if (version != null && version < 1) {
            throw new PolicyException("Cannot mount version " + version + " of context '" + contextId
                    + "': generations start at 1 (agb.context().listVersions(id) lists them)");
        }
    }

    /** A mount of the context's current content. */
    public ContextSync(String contextId, String path, SyncPolicy policy) {
        this(contextId, path, policy, null);
    }

    /** This mount of version {@code generation} of the context, read-only (an OpenAGB extension). */
    public ContextSync withVersion(long generation) {
        return new ContextSync(contextId, path, policy, generation);
    }

    /** The seed's {@code ContextSync.new(contextId, path, policy)}; same as the canonical constructor. */
    public static ContextSync create(String contextId, String path, SyncPolicy policy) {
        return new ContextSync(contextId, path, policy);
    }

    /** Mounts {@code contextId} at {@code path} with {@link SyncPolicy#defaults()}. */
    public static ContextSync create(String contextId, String path) {
        return new ContextSync(contextId, path, SyncPolicy.defaults());
    }
}
