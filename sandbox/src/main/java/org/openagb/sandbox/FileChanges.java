package org.openagb.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code get_file_change} state of one session: per watched directory, the snapshot its last poll saw. A poll
 * compares a new scan with it and reports what was created, modified (size, mtime, ctime or inode changed) and
 * deleted since — each change once, none lost between two polls (a file created and deleted between them is not seen,
 * as with any scan). The first poll of a directory takes its baseline and reports nothing. Thread-safe; remembers at
 * most {@link #MAX_WATCHED} directories (the least recently polled is forgotten first).
 */
public final class FileChanges {
    /** Directories whose snapshots are kept per session. */
    public static final int MAX_WATCHED = 32;

    /** What a scan records of one path (files and symlinks are {@code directory=false}). */
    public record Stat(boolean directory, long size, long mtimeNanos, long ctimeNanos, Object fileKey) {}

    /** One change as the SDKs parse it: {@code eventType} create/modify/delete, {@code pathType} file/directory. */
    public record Event(String eventType, String path, String pathType) {}

    private final Map<String, Map<String, Stat>> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Stat>> eldest) {
            return size() > MAX_WATCHED;
        }
    };

    /**
     * Records {@code scan} (in-session path → stat) as the directory's snapshot and returns the changes since the
     * previous one, in path order: deletions, then creations and modifications.
     */
    public synchronized List<Event> poll(String directory, Map<String, Stat> scan) {
        Map<String, Stat> previous = snapshots.put(directory, new TreeMap<>(scan));
        List<Event> events = new ArrayList<>();
        if (previous == null) {
            return events;
        }
        for (Map.Entry<String, Stat> old : new TreeMap<>(previous).entrySet()) {
            Stat now = scan.get(old.getKey());
            if (now == null || now.directory() != old.getValue().directory()) {
                events.add(new Event("delete", old.getKey(), type(old.getValue())));
            }
        }
        for (Map.Entry<String, Stat> e : new TreeMap<>(scan).entrySet()) {
            Stat before = previous.get(e.getKey());
            Stat now = e.getValue();
            if (before == null || before.directory() != now.directory()) {
                events.add(new Event("create", e.getKey(), type(now)));
            } else if (!now.directory() && !now.equals(before)) {
                events.add(new Event("modify", e.getKey(), type(now)));
            }
        }
        return events;
    }

    private static String type(Stat s) {
        return s.directory() ? "directory" : "file";
    }
}
