package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Function;
import org.openagb.model.ExtractPolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.sync.ArchiveDownloadRequest;
import org.openagb.sync.ArchiveDownloadResult;
import org.openagb.sync.ArchiveUploadRequest;
import org.openagb.sync.ArchiveUploadResult;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.DownloadRequest;
import org.openagb.sync.DownloadResult;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.MountOutcome;
import org.openagb.sync.MountRequest;
import org.openagb.sync.SyncException;
import org.openagb.sync.UploadRequest;
import org.openagb.sync.UploadResult;

/**
 * A mount's semantics in one place: which mode (the context head's lock for downloads, the policy's {@code
 * uploadMode} for uploads), which source path (mapping), which scope (white list), what extraction does and whether
 * deletions propagate. The File and Archive work itself is done by the operations it is handed.
 */
public final class MountSyncer {
    private final Manifests manifests;
    private final Function<DownloadRequest, DownloadResult> download;
    private final Function<UploadRequest, UploadResult> upload;
    private final Function<ArchiveDownloadRequest, ArchiveDownloadResult> downloadArchive;
    private final Function<ArchiveUploadRequest, ArchiveUploadResult> uploadArchive;
    private final ContextFiles files;

    public MountSyncer(
            Manifests manifests,
            ContextFiles files,
            Function<DownloadRequest, DownloadResult> download,
            Function<UploadRequest, UploadResult> upload,
            Function<ArchiveDownloadRequest, ArchiveDownloadResult> downloadArchive,
            Function<ArchiveUploadRequest, ArchiveUploadResult> uploadArchive) {
        this.manifests = manifests;
        this.files = files;
        this.download = download;
        this.upload = upload;
        this.downloadArchive = downloadArchive;
        this.uploadArchive = uploadArchive;
    }

    public MountOutcome download(MountRequest m) {
        SyncPolicy policy = m.policy();
        Head head = manifests.head(m.contextId());
        if (head.mode() == UploadMode.ARCHIVE) {
            // Only archives that Archive mode made are extracted (WIRE.md §9.3): the context's lock says so.
            ExtractPolicy extract = policy.extractPolicy();
            return new MountOutcome.ArchiveDownloaded(downloadArchive.apply(new ArchiveDownloadRequest(
                    m.contextId(),
                    m.sourcePath(),
                    m.mountPath(),
                    m.hostDir(),
                    m.scope(),
                    extract.extract(),
                    extract.extractToCurrentFolder(),
                    extract.deleteSrcFile())));
        }
        return new MountOutcome.FilesDownloaded(
                m.mountPath(),
                download.apply(new DownloadRequest(
                        m.contextId(), m.sourcePath(), m.mountPath(), m.hostDir(), m.scope(), m.baseSnapshot())));
    }

    public MountOutcome upload(MountRequest m) {
        SyncPolicy policy = m.policy();
        UploadMode mode = policy.uploadPolicy().uploadMode();
        // Each path below refuses, before it reads a single file, a context locked to the other mode.
        if (mode == UploadMode.FILE) {
            return new MountOutcome.FilesUploaded(upload.apply(new UploadRequest(
                    m.contextId(),
                    m.mountPath(),
                    m.hostDir(),
                    m.scope(),
                    m.baseSnapshot(),
                    policy.deletePolicy().syncLocalFile())));
        }
        if (!policy.extractPolicy().extract()) {
            // The session works on the archive itself (it was placed, not extracted): store that file as it is.
            Path zip = m.hostDir().resolve(ContextPaths.archiveName(m.mountPath()));
            if (Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS)) {
                return new MountOutcome.ArchiveUploaded(storeZip(m, zip), false, List.of());
            }
        }
        ArchiveUploadResult packed =
                uploadArchive.apply(new ArchiveUploadRequest(m.contextId(), m.mountPath(), m.hostDir(), m.scope()));
        return new MountOutcome.ArchiveUploaded(packed.entry(), true, packed.skipped());
    }

    private ManifestEntry storeZip(MountRequest m, Path zip) {
        try (InputStream in = Files.newInputStream(zip, LinkOption.NOFOLLOW_LINKS)) {
            long size = Files.readAttributes(zip, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .size();
            return files.putFile(m.contextId(), ContextPaths.archivePath(m.mountPath()), in, size, UploadMode.ARCHIVE);
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot read the archive '" + zip.getFileName() + "' of mount '" + m.mountPath() + "': "
                            + e.getMessage() + " (check that the session did not replace it while it was read)",
                    e);
        }
    }
}
