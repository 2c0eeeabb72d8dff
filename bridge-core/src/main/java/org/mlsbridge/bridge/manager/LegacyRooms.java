package org.mlsbridge.bridge.manager;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;

/**
 * Where the users without MLS of a member-mode bot's group read and write in the clear: the
 * group's own room, and in a bridged pair also the other network's room (the bot sees that room's
 * plain messages under their own room id).
 */
public interface LegacyRooms {
    /** One room of a group, on the network whose users write there. */
    record Room(RoomId room, UserId.Network network) {
        public Room {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(network, "network");
        }
    }

    /** The rooms of the group managed as {@code groupRoom}, that room first. */
    List<Room> roomsOf(RoomId groupRoom);

    /** The group room {@code room} belongs to: itself for a group's own room, empty for a stranger. */
    Optional<RoomId> groupOf(RoomId room);

    /** A bot on one network: each group has its one room. */
    static LegacyRooms single(UserId.Network network) {
        Objects.requireNonNull(network, "network");
        return new LegacyRooms() {
            @Override
            public List<Room> roomsOf(RoomId groupRoom) {
                return List.of(new Room(groupRoom, network));
            }

            @Override
            public Optional<RoomId> groupOf(RoomId room) {
                return Optional.of(room);
            }
        };
    }
}
