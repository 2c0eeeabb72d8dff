package org.mlsbridge.bridge.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The identity of a stored secret: its table and its key columns. It is the associated data of
 * the value's encryption, so a sealed value moved to another row (or another table) no longer
 * opens: an attacker with write access to the file cannot swap one group's state for another's.
 */
record RowId(String table, List<Bytes> key) {
    public RowId {
        Objects.requireNonNull(table, "table");
        key = List.copyOf(key);
    }

    static Builder table(String table) {
        return new Builder(table);
    }

    /** Collects key columns in order; each type has one fixed encoding. */
    static final class Builder {
        private final String table;
        private final List<Bytes> parts = new ArrayList<>();

        private Builder(String table) {
            this.table = table;
        }

        Builder bytes(Bytes value) {
            parts.add(value);
            return this;
        }

        Builder text(String value) {
            parts.add(Bytes.of(value.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        Builder uint64(long value) {
            parts.add(Bytes.of(SqlCodec.uint64(value)));
            return this;
        }

        RowId build() {
            return new RowId(table, parts);
        }
    }
}
