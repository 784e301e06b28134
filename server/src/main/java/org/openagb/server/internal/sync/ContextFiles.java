package org.openagb.server.internal.sync;

import java.util.List;
import org.openagb.server.internal.context.ContextContent;
import org.openagb.server.internal.http.ApiException;
import org.openagb.sync.ContextFileNotFoundException;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncEngine;

/** The context endpoints' view of stored files, over the sync engine's manifests. */
public final class ContextFiles implements ContextContent {
    private final SyncEngine engine;

    public ContextFiles(SyncEngine engine) {
        this.engine = engine;
    }

    public SyncEngine engine() {
        return engine;
    }

    @Override
    public List<Child> listChildren(String contextId, String parentPath) {
        return engine.listChildren(contextId, parentPath).stream()
                .map(ContextFiles::child)
                .toList();
    }

    private static Child child(ManifestEntry e) {
        String name = e.path().substring(e.path().lastIndexOf('/') + 1);
        boolean folder = e.type() == EntryType.DIRECTORY;
        long modified = e.mtimeMillis() > 0 ? e.mtimeMillis() : e.uploadedAtMillis();
        return new Child(e.path(), name, folder, folder ? 0 : e.size(), modified);
    }

    @Override
    public void deleteFile(String contextId, String path) {
        try {
            engine.deleteFile(contextId, path);
        } catch (ContextFileNotFoundException e) {
            throw ApiException.notFound(
                    "InvalidContextFile.NotFound",
                    "File '" + path + "' not found in context '" + contextId
                            + "' (DescribeContextFiles lists what it holds)");
        }
    }

    @Override
    public void clear(String contextId) {
        engine.clear(contextId);
    }

    @Override
    public void destroy(String contextId) {
        engine.deleteAllData(contextId);
    }
}
