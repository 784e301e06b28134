package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.ArchiveDownloadRequest;
import org.openagb.sync.ArchiveDownloadResult;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;

/**
 * One Archive-mode download, following the extract policy. Everything happens in a staging directory {@code
 * <hostDir>/.openagb-archive-<uuid>.tmp} (same filesystem; skipped by scans): the archive is copied there with
 * its hash verified, every entry name is checked, entries are streamed out with their CRC and size verified,
 * symlinks are created last (so nothing is ever written through one) and only if they stay inside the target.
 * Any problem fails the call with a {@link SyncException} naming the archive while the session's files are still
 * untouched. Then conflicts with the session's files are checked (a directory where the archive has a file, or
 * the reverse, or a symlink in the way), and only then are entries renamed into place: whole new subtrees with
 * one rename, existing directories merged. Directory modes and times are applied last.
 *
 * <p>Why it is this long: staged, verified extraction (names, symlink targets, sizes, CRCs, bombs) for the three
 * extract policies; each check must see the same staged tree.
 */
public final class ArchiveExtractor {
    private record DirMeta(String rel, int mode, long mtimeMillis) {}

    private record Link(String rel, String target, long mtimeMillis) {}

    private final ObjectStore store;
    private final Manifests manifests;
    private final ArchiveDownloadRequest req;
    private final Set<String> verifiedDirs = new HashSet<>();
    private final List<DirMeta> dirMetas = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private String archivePath;
    private long files;
    private long bytes;
    private long skippedByScope;

    public ArchiveExtractor(ObjectStore store, Manifests manifests, ArchiveDownloadRequest req) {
        this.store = store;
        this.manifests = manifests;
        this.req = req;
    }

    private SyncException fail(String problem) {
        return new SyncException("Cannot extract archive '" + archivePath + "': " + problem
                + " (the session's files were left unchanged)");
    }

    public ArchiveDownloadResult run() {
        String name = ContextPaths.archiveName(req.sourcePrefix());
        archivePath = ContextPaths.child(req.sourcePrefix(), name);
        Head head = manifests.head(req.contextId());
        Optional<ManifestEntry> found = find(head);
        if (found.isEmpty()) {
            return new ArchiveDownloadResult(
                    head.generation(),
                    archivePath,
                    false,
                    null,
                    null,
                    0,
                    0,
                    0,
                    0,
                    0,
                    "No archive " + archivePath + " in context " + req.contextId() + ": nothing to download");
        }
        ManifestEntry entry = found.get();
        if (entry.type() != EntryType.FILE) {
            throw fail("it is a " + entry.type().name().toLowerCase() + ", not a file");
        }
        Path root;
        try {
            Files.createDirectories(req.hostDir());
            root = req.hostDir().toRealPath();
        } catch (IOException e) {
            throw new SyncException("Cannot download archive '" + archivePath + "' into '" + req.hostDir() + "': " + e
                    + " (check that the directory can be created)");
        }
        Path staging = root.resolve(Scanner.TEMP_PREFIX + "archive-" + UUID.randomUUID() + ".tmp");
        FileTime rootMtime;
        try {
            rootMtime = Files.getLastModifiedTime(root, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new SyncException("Cannot download archive '" + archivePath + "' into '" + root + "': " + e, e);
        }
        boolean moved = false;
        try {
            Files.createDirectory(staging);
            Path zipCopy = staging.resolve("archive.zip");
            fetch(entry, zipCopy);
            Path zipTarget = root.resolve(name);
            boolean placeZip = !req.extract() || !req.deleteSrcFile();
            Path extractedTo = null;
            Path target = null;
            Path stagedRoot = null;
            if (req.extract()) {
                stagedRoot = staging.resolve("root");
                Files.createDirectory(stagedRoot);
                unpack(zipCopy, stagedRoot);
                target = req.extractToCurrentFolder() ? root : root.resolve(name.substring(0, name.length() - 4));
                extractedTo = target;
                checkConflicts(stagedRoot, target, "");
            }
            if (placeZip) {
                BasicFileAttributes a = attrs(zipTarget);
                if (a != null && a.isDirectory()) {
                    throw fail("a directory exists at '" + zipTarget + "' where the archive goes (remove it first)");
                }
                Modes.apply(zipCopy, entry.mode());
                setTimes(zipCopy, entry.mtimeMillis());
            }
            // point of no return: everything is verified; move into place
            moved = true;
            if (stagedRoot != null) {
                moveInto(stagedRoot, target);
                applyDirMeta(target);
            }
            if (placeZip) {
                move(zipCopy, zipTarget);
            }
            long dirs = dirMetas.size();
            String msg = "Archive " + archivePath + " (" + entry.size() + " bytes): "
                    + (req.extract()
                            ? "extracted " + files + " file(s) (" + bytes + " bytes), " + dirs + " dir(s), "
                                    + links.size() + " symlink(s) into " + target
                                    + (skippedByScope > 0 ? ", " + skippedByScope + " outside the white-list" : "")
                            : "placed")
                    + (placeZip ? "; zip at " + zipTarget : "");
            return new ArchiveDownloadResult(
                    head.generation(),
                    archivePath,
                    true,
                    placeZip ? zipTarget : null,
                    extractedTo,
                    files,
                    dirs,
                    links.size(),
                    bytes,
                    skippedByScope,
                    msg);
        } catch (IOException e) {
            throw new SyncException("Cannot extract archive '" + archivePath + "' into '" + root + "': " + e, e);
        } finally {
            deleteTree(staging);
            if (!moved) { // creating and removing the staging dir touched the mount's mtime: put it back
                setTimes(root, rootMtime.toMillis());
            }
        }
    }

    private Optional<ManifestEntry> find(Head head) {
        try (ManifestReader r = manifests.open(head)) {
            while (r.hasNext()) {
                ManifestEntry e = r.next();
                int cmp = ContextPaths.compare(e.path(), archivePath);
                if (cmp == 0) {
                    return Optional.of(e);
                }
                if (cmp > 0) {
                    break;
                }
            }
        }
        return Optional.empty();
    }

    private void fetch(ManifestEntry e, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS)) {
            if (e.blob() != null) {
                try (InputStream in = new Hashing.VerifyingInputStream(
                        store.get(
                                e.blob().objectKey(),
                                e.blob().offset(),
                                e.blob().length()),
                        e.hash(),
                        e.size(),
                        "archive '" + archivePath + "'")) {
                    in.transferTo(out);
                }
            }
        } catch (IOException ex) {
            throw fail(ex.getMessage());
        }
    }

    private void unpack(Path zipFile, Path stagedRoot) throws IOException {
        Set<String> seen = new HashSet<>();
        ZipFile zf;
        try {
            zf = ZipFile.builder()
                    .setPath(zipFile)
                    .setUseUnicodeExtraFields(false)
                    .get();
        } catch (IOException | RuntimeException e) {
            throw fail("it is not a readable zip (" + e.getMessage() + ")");
        }
        try (zf) {
            byte[] buf = new byte[256 * 1024];
            Enumeration<ZipArchiveEntry> en = zf.getEntriesInPhysicalOrder();
            while (en.hasMoreElements()) {
                ZipArchiveEntry ze = en.nextElement();
                String raw = ze.getName();
                String problem = ArchiveEntries.nameProblem(raw);
                if (problem != null) {
                    throw fail("entry '" + printable(raw) + "' is unsafe: " + problem);
                }
                String rel = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
                if (!seen.add(rel)) {
                    throw fail("entry '" + rel + "' appears more than once");
                }
                int unix = ze.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? ze.getUnixMode() : 0;
                int type = unix & UnixStat.FILE_TYPE_FLAG;
                boolean dir = raw.endsWith("/") || type == UnixStat.DIR_FLAG;
                boolean link = !dir && type == UnixStat.LINK_FLAG;
                if (!zf.canReadEntryData(ze)) {
                    throw fail("entry '" + rel + "' uses an unsupported method or encryption");
                }
                if (!(dir
                        ? req.scope().includes(rel) || req.scope().mayContainIncluded(rel)
                        : req.scope().includes(rel))) {
                    skippedByScope++;
                    continue;
                }
                long mtime = ArchiveEntries.mtime(ze);
                int perms = unix & 0777;
                if (dir) {
                    ensureDir(stagedRoot, rel);
                    if (req.scope().includes(rel)) {
                        dirMetas.add(new DirMeta(rel, unix == 0 ? 0755 : perms, mtime));
                    }
                    continue;
                }
                String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
                ensureDir(stagedRoot, parent);
                if (link) {
                    byte[] t = readEntry(zf, ze, rel, 4096, buf);
                    String target = new String(t, StandardCharsets.UTF_8);
                    String lp = ArchiveEntries.symlinkProblem(rel, target);
                    if (lp != null) {
                        throw fail("symlink entry '" + rel + "' is unsafe: " + lp);
                    }
                    links.add(new Link(rel, target, mtime));
                    continue;
                }
                Path out = stagedRoot.resolve(rel);
                if (attrs(out) != null) {
                    throw fail("entry '" + rel + "' collides with another entry");
                }
                try (OutputStream os = Files.newOutputStream(
                        out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    copyEntry(zf, ze, rel, os, buf);
                }
                Modes.apply(out, unix == 0 ? 0644 : perms);
                setTimes(out, mtime);
                files++;
                bytes += ze.getSize();
            }
        }
        // symlinks last: no entry was written through one
        for (Link l : links) {
            Path p = stagedRoot.resolve(l.rel);
            if (attrs(p) != null) {
                throw fail("symlink entry '" + l.rel + "' collides with another entry");
            }
            Files.createSymbolicLink(p, Path.of(l.target));
            setTimes(p, l.mtimeMillis);
        }
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    private byte[] readEntry(ZipFile zf, ZipArchiveEntry ze, String rel, int max, byte[] buf) throws IOException {
        if (ze.getSize() > max) {
            throw fail("symlink entry '" + rel + "' has a target of " + ze.getSize() + " bytes");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        copyEntry(zf, ze, rel, out, buf);
        return out.toByteArray();
    }

    /** Streams an entry's data, failing on a CRC or size mismatch or corrupt data. */
    private void copyEntry(ZipFile zf, ZipArchiveEntry ze, String rel, OutputStream out, byte[] buf)
            throws IOException {
        long declared = ze.getSize();
        CRC32 crc = new CRC32();
        long total = 0;
        try (InputStream in = zf.getInputStream(ze)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (declared >= 0 && total > declared) {
                    throw fail("entry '" + rel + "' is corrupt: it holds more data than its declared " + declared
                            + " bytes");
                }
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SyncException se) {
                throw se;
            }
            throw fail("entry '" + rel + "' is corrupt (" + e.getMessage() + ")");
        }
        if (declared >= 0 && total != declared) {
            throw fail("entry '" + rel + "' is truncated (" + total + " of " + declared + " bytes)");
        }
        if (crc.getValue() != ze.getCrc()) {
            throw fail("entry '" + rel + "' fails its CRC check (stored " + Long.toHexString(ze.getCrc()) + ", got "
                    + Long.toHexString(crc.getValue()) + ")");
        }
    }

    /** Makes sure {@code rel} is a real directory under the staging root, checking each component (NOFOLLOW). */
    private void ensureDir(Path stagedRoot, String rel) throws IOException {
        if (rel.isEmpty() || verifiedDirs.contains(rel)) {
            return;
        }
        int slash = rel.lastIndexOf('/');
        ensureDir(stagedRoot, slash < 0 ? "" : rel.substring(0, slash));
        Path p = stagedRoot.resolve(rel);
        BasicFileAttributes a = attrs(p);
        if (a == null) {
            Files.createDirectory(p);
        } else if (!a.isDirectory() || a.isSymbolicLink()) {
            throw fail("entry '" + rel + "' is both a file and a directory");
        }
        verifiedDirs.add(rel);
    }

    /** Fails if moving the staged tree into {@code target} would replace a directory or write through a symlink. */
    private void checkConflicts(Path staged, Path target, String rel) throws IOException {
        BasicFileAttributes t = attrs(target);
        if (t == null) {
            return; // the whole staged subtree moves in with one rename
        }
        if (t.isSymbolicLink() || !t.isDirectory()) {
            throw fail("'" + target + "' is " + (t.isSymbolicLink() ? "a symlink" : "a file")
                    + " in the session but a directory in the archive (remove it first)");
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(staged)) {
            for (Path s : ds) {
                String childName = s.getFileName().toString();
                Path tc = target.resolve(childName);
                String childRel = rel.isEmpty() ? childName : rel + "/" + childName;
                BasicFileAttributes sa = attrs(s);
                if (sa.isDirectory()) {
                    checkConflicts(s, tc, childRel);
                } else {
                    BasicFileAttributes ta = attrs(tc);
                    if (ta != null && ta.isDirectory()) {
                        throw fail("'" + tc + "' is a directory in the session but a "
                                + (sa.isSymbolicLink() ? "symlink" : "file") + " in the archive (remove it first)");
                    }
                }
            }
        }
    }

    private void moveInto(Path staged, Path target) throws IOException {
        if (attrs(target) == null) {
            move(staged, target);
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(staged)) {
            for (Path s : ds) {
                Path tc = target.resolve(s.getFileName().toString());
                if (attrs(s).isDirectory()) {
                    moveInto(s, tc);
                } else {
                    move(s, tc);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void applyDirMeta(Path target) throws IOException {
        for (DirMeta d : dirMetas) {
            Path p = target.resolve(d.rel);
            BasicFileAttributes a = attrs(p);
            if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
                Modes.apply(p, d.mode);
            }
        }
        for (DirMeta d : dirMetas) {
            Path p = target.resolve(d.rel);
            BasicFileAttributes a = attrs(p);
            if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
                setTimes(p, d.mtimeMillis);
            }
        }
    }

    private static BasicFileAttributes attrs(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void setTimes(Path p, long mtimeMillis) {
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.fromMillis(mtimeMillis), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // symlink times cannot be set everywhere
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    PosixFileAttributeView v =
                            Files.getFileAttributeView(d, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                    if (v != null) {
                        v.setPermissions(Modes.fromBits(0700));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: the staging dir is skipped by scans
        }
    }
}
