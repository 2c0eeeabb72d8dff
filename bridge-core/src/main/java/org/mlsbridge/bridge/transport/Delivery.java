package org.mlsbridge.bridge.transport;

import java.util.Objects;

/**
 * One event of a client's stream and the cursor that resumes right after it. Storing
 * {@code cursor} together with the effects of {@code event} makes processing exactly-once.
 */
public record Delivery(RoomEvent event, Cursor cursor) {
    public Delivery {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(cursor, "cursor");
    }
}
