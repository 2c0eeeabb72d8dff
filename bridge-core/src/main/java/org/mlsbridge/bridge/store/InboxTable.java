package org.mlsbridge.bridge.store;

import java.util.List;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Incoming side: the ids of messages already processed per stream (dedup, so a transport that
 * replays around its cursor cannot make a message count twice) and the inbox of decrypted
 * application messages awaiting the application.
 */
final class InboxTable {
    static final String DELIVERED = "delivered";
    static final String INBOX = "inbox";
    private final Sql sql;

    InboxTable(Sql sql) {
        this.sql = sql;
    }

    static RowId row(String id) {
        return RowId.table(INBOX).text(id).build();
    }

    boolean markDelivered(String stream, String messageId) {
        return sql.update("INSERT INTO " + DELIVERED + " (stream, message_id, delivered_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT (stream, message_id) DO NOTHING", stream, messageId, sql.nowMillis()) > 0;
    }

    boolean isDelivered(String stream, String messageId) {
        return sql.one("SELECT 1 FROM " + DELIVERED + " WHERE stream = ? AND message_id = ?", rs -> 1,
                stream, messageId).isPresent();
    }

    int forgetDeliveredBefore(long millis) {
        return sql.update("DELETE FROM " + DELIVERED + " WHERE delivered_ms < ?", millis);
    }

    int forgetDeliveredBefore(String stream, long millis) {
        return sql.update("DELETE FROM " + DELIVERED + " WHERE stream = ? AND delivered_ms < ?", stream, millis);
    }

    void add(InboxMessage m) {
        if (sql.one("SELECT 1 FROM " + INBOX + " WHERE id = ?", rs -> 1, m.id()).isPresent()) {
            throw new IllegalStateException("inbox already holds a message with id " + m.id());
        }
        byte[] sealed = sql.cipher().seal(row(m.id()), m.payload().toByteArray());
        sql.update("INSERT INTO " + INBOX + " (id, room_id, sender, payload, received_ms) VALUES (?, ?, ?, ?, ?)",
                m.id(), m.roomId(), m.sender(), sealed, sql.nowMillis());
    }

    List<InboxMessage> pending(int limit) {
        return sql.list("SELECT id, room_id, sender, payload FROM " + INBOX + " ORDER BY seq LIMIT ?", rs -> {
            String id = rs.getString(1);
            return new InboxMessage(id, rs.getString(2), rs.getString(3),
                    Bytes.wrap(sql.cipher().open(row(id), rs.getBytes(4))));
        }, limit);
    }

    boolean remove(String id) {
        return sql.update("DELETE FROM " + INBOX + " WHERE id = ?", id) > 0;
    }
}
