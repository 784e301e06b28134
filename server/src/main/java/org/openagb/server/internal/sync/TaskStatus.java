package org.openagb.server.internal.sync;

/** A sync task's {@code status} as GetContextInfo reports it (WIRE.md §6.3). */
public enum TaskStatus {
    PENDING("Pending"),
    RUNNING("Running"),
    SUCCESS("Success"),
    FAILED("Failed");

    private final String wireName;

    TaskStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** A stored status. */
    public static TaskStatus fromWireName(String name) {
        for (TaskStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalStateException("Unknown task status '" + name + "' in the task registry");
    }
}
