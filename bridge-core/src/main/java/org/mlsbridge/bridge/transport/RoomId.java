package org.mlsbridge.bridge.transport;

import java.util.Objects;

/** A room in the transport's own syntax (a MUC bare JID, a Matrix room id); opaque to the manager. */
public record RoomId(String value) implements Comparable<RoomId> {
    public RoomId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("room id must not be blank");
        }
    }

    @Override
    public int compareTo(RoomId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
