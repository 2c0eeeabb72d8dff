package org.mlsbridge.bridge.store;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;

/** Rooms, their transport-level members, and the transports' resume cursors. */
final class RoomTable {
    private final Sql sql;

    RoomTable(Sql sql) {
        this.sql = sql;
    }

    void put(Room room) {
        sql.update("INSERT INTO room (room_id, group_id, mode, updated_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (room_id) DO UPDATE SET group_id = excluded.group_id, mode = excluded.mode,"
                + " updated_ms = excluded.updated_ms",
                room.roomId(), room.groupId().orElse(null), room.mode(), sql.nowMillis());
    }

    Optional<Room> get(String roomId) {
        return sql.one("SELECT room_id, group_id, mode FROM room WHERE room_id = ?", RoomTable::room, roomId);
    }

    List<Room> all() {
        return sql.list("SELECT room_id, group_id, mode FROM room ORDER BY room_id", RoomTable::room);
    }

    boolean delete(String roomId) {
        sql.update("DELETE FROM room_member WHERE room_id = ?", roomId);
        return sql.update("DELETE FROM room WHERE room_id = ?", roomId) > 0;
    }

    private static Room room(java.sql.ResultSet rs) throws java.sql.SQLException {
        byte[] group = rs.getBytes(2);
        return new Room(rs.getString(1), Optional.ofNullable(group).map(Bytes::wrap), rs.getString(3));
    }

    void putMember(Member m) {
        sql.update("INSERT INTO room_member (room_id, user_id, status, updated_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (room_id, user_id) DO UPDATE SET status = excluded.status, updated_ms = excluded.updated_ms",
                m.roomId(), m.userId(), m.status().dbName(), sql.nowMillis());
    }

    List<Member> members(String roomId) {
        return sql.list("SELECT user_id, status FROM room_member WHERE room_id = ? ORDER BY user_id",
                rs -> new Member(roomId, rs.getString(1), Member.Status.fromDb(rs.getString(2))), roomId);
    }

    boolean removeMember(String roomId, String userId) {
        return sql.update("DELETE FROM room_member WHERE room_id = ? AND user_id = ?", roomId, userId) > 0;
    }

    void setCursor(String stream, String cursor) {
        sql.update("INSERT INTO transport_cursor (stream, cursor, updated_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms",
                stream, cursor, sql.nowMillis());
    }

    Optional<String> cursor(String stream) {
        return sql.one("SELECT cursor FROM transport_cursor WHERE stream = ?", rs -> rs.getString(1), stream);
    }
}
