package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code NodeType} of RFC 9420 §7.8: the tag of a {@link Node}. */
public enum NodeType {
    LEAF(1),
    PARENT(2);

    private final int id;

    NodeType(int id) {
        this.id = id;
    }

    /** The uint8 wire value. */
    public int id() {
        return id;
    }

    /** Unknown values (including the reserved 0) are a {@link DecodeException}. */
    public static NodeType fromId(int id) throws DecodeException {
        for (NodeType v : values()) {
            if (v.id == id) {
                return v;
            }
        }
        throw new DecodeException("unknown NodeType value " + id);
    }

    public void writeTo(TlsWriter w) {
        w.uint8(id);
    }

    public static NodeType readFrom(TlsReader r) throws DecodeException {
        return fromId(r.uint8());
    }
}
