package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code ContentType} of RFC 9420 §6. */
public enum ContentType {
    APPLICATION(1),
    PROPOSAL(2),
    COMMIT(3);

    private final int id;

    ContentType(int id) {
        this.id = id;
    }

    /** The uint8 wire value. */
    public int id() {
        return id;
    }

    /** Unknown values (including the reserved 0) are a {@link DecodeException}. */
    public static ContentType fromId(int id) throws DecodeException {
        for (ContentType v : values()) {
            if (v.id == id) {
                return v;
            }
        }
        throw new DecodeException("unknown ContentType value " + id);
    }

    public void writeTo(TlsWriter w) {
        w.uint8(id);
    }

    public static ContentType readFrom(TlsReader r) throws DecodeException {
        return fromId(r.uint8());
    }
}
