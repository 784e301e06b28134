package org.openagb.sdk;

/** How {@link FileSystem#write(String, String, WriteMode)} treats an existing file. */
public enum WriteMode {
    /** Truncate or create. */
    OVERWRITE("overwrite"),
    /** Append or create. */
    APPEND("append"),
    /** Create; fail if the file exists. */
    CREATE_NEW("create_new");

    private final String wireName;

    WriteMode(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code mode} argument of {@code write_file}. */
    public String wireName() {
        return wireName;
    }
}
