package org.openagb.server.internal.context;

/** Who a context is for; stored by {@link #dbName()}. */
public enum ContextKind {
    /** A context of the API key's own, listed and mountable. */
    USER("user"),
    /** A session's internal file-transfer context: hidden from listings, destroyed with its session. */
    FILE_TRANSFER("file_transfer");

    private final String dbName;

    ContextKind(String dbName) {
        this.dbName = dbName;
    }

    public String dbName() {
        return dbName;
    }

    public static ContextKind fromDbName(String name) {
        for (ContextKind k : values()) {
            if (k.dbName.equals(name)) {
                return k;
            }
        }
        throw new IllegalStateException("Unknown context kind '" + name + "' in the metadata database");
    }
}
