package org.mlsbridge.bridge.store;

import java.util.Arrays;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A group's ratchets (its secret trees) stored apart from its chunked state, one sealed row per
 * group with row identity (mls_group_ratchets, group_id). Reading or sending an application
 * message rewrites only this row, a few KiB, instead of re-cutting the whole state; saving or
 * deleting the whole state deletes it in the same transaction ({@link TransactionMlsStorage}).
 */
final class GroupRatchetTable {
    static final String TABLE = "mls_group_ratchets";

    private final Sql sql;

    GroupRatchetTable(Sql sql) {
        this.sql = sql;
    }

    static RowId row(Bytes groupId) {
        return RowId.table(TABLE).bytes(groupId).build();
    }

    void save(Bytes groupId, byte[] ratchets) {
        sql.update("INSERT INTO " + TABLE + " (group_id, ratchets, updated_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT (group_id) DO UPDATE SET ratchets = excluded.ratchets, updated_ms = excluded.updated_ms",
                groupId, sql.cipher().seal(row(groupId), ratchets), sql.nowMillis());
    }

    Optional<byte[]> load(Bytes groupId) {
        return sql.one("SELECT ratchets FROM " + TABLE + " WHERE group_id = ?", rs -> rs.getBytes(1), groupId)
                .map(sealed -> {
                    try {
                        return sql.cipher().open(row(groupId), sealed);
                    } finally {
                        Arrays.fill(sealed, (byte) 0);
                    }
                });
    }

    void delete(Bytes groupId) {
        sql.update("DELETE FROM " + TABLE + " WHERE group_id = ?", groupId);
    }
}
