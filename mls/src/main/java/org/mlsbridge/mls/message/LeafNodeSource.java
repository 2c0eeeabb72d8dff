package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code LeafNodeSource} of RFC 9420 §7.2: why a leaf node was created. */
public enum LeafNodeSource {
    KEY_PACKAGE(1),
    UPDATE(2),
    COMMIT(3);

    private final int id;

    LeafNodeSource(int id) {
        this.id = id;
    }

    /** The uint8 wire value. */
    public int id() {
        return id;
    }

    /** Unknown values (including the reserved 0) are a {@link DecodeException}. */
    public static LeafNodeSource fromId(int id) throws DecodeException {
        for (LeafNodeSource v : values()) {
            if (v.id == id) {
                return v;
            }
        }
        throw new DecodeException("unknown LeafNodeSource value " + id);
    }

    public void writeTo(TlsWriter w) {
        w.uint8(id);
    }

    public static LeafNodeSource readFrom(TlsReader r) throws DecodeException {
        return fromId(r.uint8());
    }
}
