package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.OptionalInt;

/**
 * How long uploaded objects under a {@link RecyclePolicy}'s paths are kept after their last upload. There is no 7-day
 * value on the wire. Serialised as its wire string ({@link #wireName()}).
 */
public enum Lifecycle {
    LIFECYCLE_1DAY("Lifecycle_1Day", 1),
    LIFECYCLE_3DAYS("Lifecycle_3Days", 3),
    LIFECYCLE_5DAYS("Lifecycle_5Days", 5),
    LIFECYCLE_10DAYS("Lifecycle_10Days", 10),
    LIFECYCLE_15DAYS("Lifecycle_15Days", 15),
    LIFECYCLE_30DAYS("Lifecycle_30Days", 30),
    LIFECYCLE_90DAYS("Lifecycle_90Days", 90),
    LIFECYCLE_180DAYS("Lifecycle_180Days", 180),
    LIFECYCLE_360DAYS("Lifecycle_360Days", 360),
    LIFECYCLE_FOREVER("Lifecycle_Forever", -1);

    private final String wireName;
    private final int days;

    Lifecycle(String wireName, int days) {
        this.wireName = wireName;
        this.days = days;
    }

    /** The exact string used in policy JSON. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The number of days objects are kept, or empty for {@link #LIFECYCLE_FOREVER}. */
    public OptionalInt days() {
        return days < 0 ? OptionalInt.empty() : OptionalInt.of(days);
    }

    /**
     * Parses a wire string (case-sensitive).
     *
     * @throws PolicyException if {@code value} is not one of the wire strings; the message lists the valid ones
     */
    @JsonCreator
    public static Lifecycle fromWireName(String value) {
        return Checks.parseEnum(Lifecycle.class, "lifecycle", value, Lifecycle::wireName);
    }
}
