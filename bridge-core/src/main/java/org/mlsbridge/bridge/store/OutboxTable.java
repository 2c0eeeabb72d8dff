package org.mlsbridge.bridge.store;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;

/** The outbox: messages queued in the transaction that produced them, removed once sent. */
final class OutboxTable {
    static final String TABLE = "outbox";
    private final Sql sql;

    OutboxTable(Sql sql) {
        this.sql = sql;
    }

    static RowId row(String id) {
        return RowId.table(TABLE).text(id).build();
    }

    void enqueue(OutboxMessage m) {
        if (sql.one("SELECT 1 FROM " + TABLE + " WHERE id = ?", rs -> 1, m.id()).isPresent()) {
            throw new IllegalStateException("outbox already holds a message with id " + m.id());
        }
        byte[] sealed = sql.cipher().seal(row(m.id()), m.payload().toByteArray());
        sql.update("INSERT INTO " + TABLE + " (id, destination, kind, payload, attempts, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                m.id(), m.destination(), m.kind(), sealed, m.attempts(), sql.nowMillis());
    }

    List<OutboxMessage> pending(int limit) {
        return sql.list("SELECT id, destination, kind, payload, attempts FROM " + TABLE + " ORDER BY seq LIMIT ?",
                rs -> {
                    String id = rs.getString(1);
                    byte[] plain = sql.cipher().open(row(id), rs.getBytes(4));
                    return new OutboxMessage(id, rs.getString(2), rs.getString(3), Bytes.wrap(plain), rs.getInt(5));
                }, limit);
    }

    Optional<OutboxMessage> get(String id) {
        return sql.one("SELECT destination, kind, payload, attempts FROM " + TABLE + " WHERE id = ?",
                rs -> new OutboxMessage(id, rs.getString(1), rs.getString(2),
                        Bytes.wrap(sql.cipher().open(row(id), rs.getBytes(3))), rs.getInt(4)), id);
    }

    boolean recordAttempt(String id) {
        return sql.update("UPDATE " + TABLE + " SET attempts = attempts + 1 WHERE id = ?", id) > 0;
    }

    boolean remove(String id) {
        return sql.update("DELETE FROM " + TABLE + " WHERE id = ?", id) > 0;
    }

    int size() {
        return sql.one("SELECT count(*) FROM " + TABLE, rs -> rs.getInt(1)).orElse(0);
    }
}
