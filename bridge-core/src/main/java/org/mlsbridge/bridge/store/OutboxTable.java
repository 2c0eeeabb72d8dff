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

    /** The kept plaintext's own row identity, so it and the payload cannot be swapped. */
    static RowId plaintextRow(String id) {
        return RowId.table(TABLE).text(id).text("plaintext").build();
    }

    void enqueue(OutboxMessage m) {
        if (sql.one("SELECT 1 FROM " + TABLE + " WHERE id = ?", rs -> 1, m.id()).isPresent()) {
            throw new IllegalStateException("outbox already holds a message with id " + m.id());
        }
        byte[] sealed = sql.cipher().seal(row(m.id()), m.payload().toByteArray());
        byte[] sealedPlaintext = m.plaintext()
                .map(p -> sql.cipher().seal(plaintextRow(m.id()), p.toByteArray())).orElse(null);
        sql.update("INSERT INTO " + TABLE + " (id, destination, kind, payload, attempts, created_ms, plaintext)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                m.id(), m.destination(), m.kind(), sealed, m.attempts(), sql.nowMillis(), sealedPlaintext);
    }

    List<OutboxMessage> pending(int limit) {
        return sql.list("SELECT id, destination, kind, payload, attempts, plaintext FROM " + TABLE
                + " ORDER BY seq LIMIT ?",
                rs -> {
                    String id = rs.getString(1);
                    byte[] plain = sql.cipher().open(row(id), rs.getBytes(4));
                    return new OutboxMessage(id, rs.getString(2), rs.getString(3), Bytes.wrap(plain), rs.getInt(5),
                            openPlaintext(id, rs.getBytes(6)));
                }, limit);
    }

    Optional<OutboxMessage> get(String id) {
        return sql.one("SELECT destination, kind, payload, attempts, plaintext FROM " + TABLE + " WHERE id = ?",
                rs -> new OutboxMessage(id, rs.getString(1), rs.getString(2),
                        Bytes.wrap(sql.cipher().open(row(id), rs.getBytes(3))), rs.getInt(4),
                        openPlaintext(id, rs.getBytes(5))), id);
    }

    private Optional<Bytes> openPlaintext(String id, byte[] sealed) {
        return sealed == null ? Optional.empty() : Optional.of(Bytes.wrap(sql.cipher().open(plaintextRow(id), sealed)));
    }

    /** Replaces a queued message's payload; it keeps its id, place in the send order and plaintext. */
    boolean replacePayload(String id, Bytes payload) {
        byte[] sealed = sql.cipher().seal(row(id), payload.toByteArray());
        return sql.update("UPDATE " + TABLE + " SET payload = ? WHERE id = ?", sealed, id) > 0;
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
