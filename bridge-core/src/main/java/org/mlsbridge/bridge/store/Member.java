package org.mlsbridge.bridge.store;

import java.util.Objects;

/** A user's membership of a room as the transport reports it (not the MLS membership). */
public record Member(String roomId, String userId, Status status) {
    /** Stored by {@link #dbName()}; the names are part of the storage format. */
    public enum Status {
        INVITED, JOINED, LEFT, BANNED;

        String dbName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status fromDb(String name) {
            return switch (name) {
                case "invited" -> INVITED;
                case "joined" -> JOINED;
                case "left" -> LEFT;
                case "banned" -> BANNED;
                default -> throw new StoreException(StoreException.Kind.CORRUPT, "unknown member status '" + name + "'");
            };
        }
    }

    public Member {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
    }
}
