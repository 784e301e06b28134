package org.openagb.sync.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.PathScope;
import org.openagb.sync.SyncException;

/**
 * Walks a host directory depth-first with each directory's children sorted by name, so entries come out in
 * canonical order. Never follows symlinks (they are reported as {@link EntryType#SYMLINK} with their target
 * text). Paths are mapped to {@code mountPath + "/" + relative}. Directories outside the scope that cannot contain
 * covered paths are not entered. Special files (sockets, FIFOs, devices) and OpenAGB's own temporary files are
 * skipped. Only one directory listing is held in memory per level of depth.
 */
public final class Scanner implements Iterator<LocalEntry> {
    /** Prefix of temporary files written by downloads; never scanned. */
    public static final String TEMP_PREFIX = ".openagb-";

    /** A directory member: its name and its path as the listing produced it (not resolved again). */
    private record Child(String name, Path path) {}

    private record Frame(String relDir, Iterator<Child> children) {}

    private static final Comparator<Child> BY_NAME = Comparator.comparing(Child::name);

    private final Path root;
    private final String mountPath;
    private final PathScope scope;
    private final boolean all;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private LocalEntry next;

    public Scanner(Path hostDir, String mountPath, PathScope scope) {
        this.root = hostDir;
        this.mountPath = mountPath;
        this.scope = scope;
        this.all = scope.isAll();
        if (!Files.isDirectory(hostDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new SyncException("Cannot scan directory '" + hostDir
                    + "': it does not exist or is not a directory (check the session's mount)");
        }
        stack.push(new Frame("", list(root)));
    }

    private Iterator<Child> list(Path dir) {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!(name.startsWith(TEMP_PREFIX) && name.endsWith(".tmp"))) {
                    children.add(new Child(name, p));
                }
            }
        } catch (NoSuchFileException e) {
            return List.<Child>of().iterator(); // removed while scanning
        } catch (IOException e) {
            throw new SyncException("Cannot scan directory '" + dir + "': " + e + " (check its permissions)", e);
        }
        // names hold no '/', so plain string order is the canonical order of the children
        children.sort(BY_NAME);
        return children.iterator();
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Frame f = stack.peek();
            if (!f.children.hasNext()) {
                stack.pop();
                continue;
            }
            Child c = f.children.next();
            String rel = f.relDir.isEmpty() ? c.name() : f.relDir + "/" + c.name();
            next = visit(rel, c.path());
        }
        return next != null;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    /** One lstat per path: type and permission bits, size, mtime and ctime. */
    private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ctime";

    private LocalEntry visit(String rel, Path p) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SyncException("Cannot scan '" + p + "': " + e + " (check its permissions)", e);
        }
        String path = ContextPaths.child(mountPath, rel);
        long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis();
        long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
        int rawMode = (Integer) a.get("mode");
        int mode = rawMode & 0777;
        int type = rawMode & S_IFMT;
        if (type == S_IFDIR) {
            boolean included = all || scope.includes(rel);
            if (included || scope.mayContainIncluded(rel)) {
                stack.push(new Frame(rel, list(p)));
            }
            return included ? new LocalEntry(path, p, EntryType.DIRECTORY, 0, mtime, ctime, mode, null) : null;
        }
        if (!all && !scope.includes(rel)) {
            return null;
        }
        if (type == S_IFLNK) {
            try {
                String target = Files.readSymbolicLink(p).toString();
                return new LocalEntry(path, p, EntryType.SYMLINK, 0, mtime, ctime, 0777, target);
            } catch (IOException e) {
                return null; // replaced while scanning
            }
        }
        if (type == S_IFREG) {
            return new LocalEntry(path, p, EntryType.FILE, (Long) a.get("size"), mtime, ctime, mode, null);
        }
        return null;
    }

    @Override
    public LocalEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LocalEntry e = next;
        next = null;
        return e;
    }
}
