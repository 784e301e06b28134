package org.openagb.server.internal.context;

import java.util.List;

/** What the context endpoints need of a context's stored files (implemented over the sync engine). */
public interface ContextContent {
    /** An immediate child of a folder: a file, or a folder implied by deeper paths. */
    record Child(String path, String name, boolean folder, long size, long modifiedAtMillis) {}

    List<Child> listChildren(String contextId, String parentPath);

    /** Removes one file; throws {@link org.openagb.server.internal.http.ApiException} if it does not exist. */
    void deleteFile(String contextId, String path);

    /** Removes every file (a new, empty generation). */
    void clear(String contextId);

    /** Removes every object the context owns, before its row is deleted. */
    void destroy(String contextId);
}
