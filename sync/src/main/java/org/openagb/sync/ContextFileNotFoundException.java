package org.openagb.sync;

/** Thrown when a context file operation names a path that the context does not hold. */
public class ContextFileNotFoundException extends SyncException {
    public ContextFileNotFoundException(String contextId, String path) {
        super("Cannot find file '" + path + "' in context '" + contextId
                + "': no such file (list the parent folder to see what exists)");
    }
}
