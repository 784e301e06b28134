package org.openagb.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata of a path in a session, parsed from {@code get_file_info}'s {@code key: value} lines.
 *
 * @param name the file name, or {@code ""}
 * @param path the path, or {@code ""}
 * @param size size in bytes
 * @param directory whether it is a directory
 * @param modTime modification time as sent, or {@code ""}
 * @param mode permission string as sent (e.g. {@code -rw-r--r--}), or {@code ""}
 * @param attributes every key and (trimmed) value as sent, in order
 */
public record FileInfo(
        String name,
        String path,
        long size,
        boolean directory,
        String modTime,
        String mode,
        Map<String, String> attributes) {
    public FileInfo {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
