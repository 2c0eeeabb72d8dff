package org.mlsbridge.bridge.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;

/** Named application values, sealed at rest (schema version 2). */
final class BlobTable {
    static final String TABLE = "app_blob";
    private final Sql sql;

    BlobTable(Sql sql) {
        this.sql = sql;
    }

    static RowId row(String name) {
        return RowId.table(TABLE).text(name).build();
    }

    void put(String name, Bytes value) {
        Objects.requireNonNull(name, "name");
        sql.update("INSERT INTO " + TABLE + " (name, value, updated_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms",
                name, sql.cipher().seal(row(name), value.toByteArray()), sql.nowMillis());
    }

    Optional<Bytes> get(String name) {
        return sql.one("SELECT value FROM " + TABLE + " WHERE name = ?", rs -> rs.getBytes(1), name)
                .map(sealed -> Bytes.wrap(sql.cipher().open(row(name), sealed)));
    }

    boolean delete(String name) {
        return sql.update("DELETE FROM " + TABLE + " WHERE name = ?", name) > 0;
    }

    List<String> names(String prefix) {
        // substr comparison rather than LIKE: names may contain % and _
        return sql.list("SELECT name FROM " + TABLE + " WHERE substr(name, 1, ?) = ? ORDER BY name",
                rs -> rs.getString(1), prefix.length(), prefix);
    }
}
