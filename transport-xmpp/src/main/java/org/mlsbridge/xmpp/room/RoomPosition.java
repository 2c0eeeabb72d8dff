package org.mlsbridge.xmpp.room;

import java.util.Objects;
import java.util.SortedSet;

/**
 * A place in a room's stream: after the message with archive id {@code afterId} (empty: the start
 * of the archive) and {@code skip} membership events that follow it; {@code members} are the room's
 * members (user ids) as of that place.
 *
 * <p>{@code members} is always immutable: a caller's set is copied, a set taken from another
 * position is shared as it is (positions are made per delivered event, members change rarely).
 */
public record RoomPosition(String afterId, int skip, SortedSet<String> members) {
    public RoomPosition {
        Objects.requireNonNull(afterId, "afterId");
        members = MemberSet.of(members);
        if (skip < 0) {
            throw new IllegalArgumentException("skip must not be negative");
        }
    }

    public static RoomPosition start() {
        return new RoomPosition("", 0, MemberSet.empty());
    }
}
