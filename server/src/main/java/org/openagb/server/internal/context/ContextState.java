package org.openagb.server.internal.context;

/** A context's state as GetContext/ListContexts report it ({@code state}); stored by {@link #wireName()}. */
public enum ContextState {
    AVAILABLE("available"),
    /** ClearContext is removing its data. */
    CLEARING("clearing");

    private final String wireName;

    ContextState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ContextState fromWireName(String name) {
        for (ContextState s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalStateException("Unknown context state '" + name + "' in the metadata database");
    }
}
