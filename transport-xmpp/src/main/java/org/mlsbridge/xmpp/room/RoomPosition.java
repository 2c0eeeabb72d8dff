package org.mlsbridge.xmpp.room;

import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A place in a room's stream: after the message with archive id {@code afterId} (empty: the start
 * of the archive) and {@code skip} membership events that follow it; {@code members} are the room's
 * members (user ids) as of that place.
 */
public record RoomPosition(String afterId, int skip, SortedSet<String> members) {
    public RoomPosition {
        Objects.requireNonNull(afterId, "afterId");
        members = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(members));
        if (skip < 0) {
            throw new IllegalArgumentException("skip must not be negative");
        }
    }

    public static RoomPosition start() {
        return new RoomPosition("", 0, new TreeSet<>());
    }
}
