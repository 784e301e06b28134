package org.openagb.storage.spi;

import org.openagb.storage.StorageException;

/** Validation of object keys and ranges shared by the implementations. */
public final class ObjectKeys {
    private ObjectKeys() {}

    /** Returns the key if valid; throws a {@link StorageException} that names it otherwise. */
    public static String validate(String verb, String key) {
        if (key == null) {
            throw new StorageException("Cannot " + verb + " object 'null': key is null (pass a key like 'blobs/x')");
        }
        String reason = problem(key);
        if (reason != null) {
            throw new StorageException("Cannot " + verb + " object '" + printable(key) + "': " + reason
                    + " (use a relative '/'-separated key like 'blobs/ctx/id')");
        }
        return key;
    }

    /** Validates a list prefix: like a key, but may be empty or end with '/'. */
    public static String validatePrefix(String prefix) {
        if (prefix == null) {
            throw new StorageException("Cannot list objects with prefix 'null': prefix is null (pass \"\" for all)");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        String reason = trimmed.isEmpty() ? "it is only '/'" : problem(trimmed);
        if (reason != null) {
            throw new StorageException("Cannot list objects with prefix '" + printable(prefix) + "': " + reason
                    + " (use a relative '/'-separated prefix like 'blobs/')");
        }
        return prefix;
    }

    private static String problem(String key) {
        if (key.isEmpty()) {
            return "key is empty";
        }
        if (key.indexOf('\0') >= 0) {
            return "key contains a NUL character";
        }
        if (key.indexOf('\\') >= 0) {
            return "key contains a backslash";
        }
        if (key.startsWith("/")) {
            return "key is absolute";
        }
        if (key.endsWith("/")) {
            return "key ends with '/'";
        }
        if (key.contains("//")) {
            return "key contains '//'";
        }
        for (String part : key.split("/", -1)) {
            if (part.equals("..")) {
                return "key contains '..'";
            }
            if (part.equals(".")) {
                return "key contains a '.' component";
            }
        }
        return null;
    }

    /** Validates a byte range; {@code size} is the object's size. */
    public static void validateRange(String key, long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new StorageException("Cannot read object '" + key + "' range [" + offset + ", +" + length
                    + "): the object has " + size + " bytes (request a range inside the object)");
        }
    }

    private static String printable(String key) {
        return key.replace("\0", "\\0");
    }
}
