package org.openagb.sync.internal;

import java.nio.file.Path;
import org.openagb.sync.ManifestEntry;

/** A file a download writes: {@code absent} if its target did not exist when planned (create it in place). */
record DownloadJob(ManifestEntry entry, Path target, boolean absent) {}
