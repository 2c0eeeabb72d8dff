package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code WireFormat} of RFC 9420 §6 (a uint16 on the wire). */
public enum WireFormat {
    PUBLIC_MESSAGE(1),
    PRIVATE_MESSAGE(2),
    WELCOME(3),
    GROUP_INFO(4),
    KEY_PACKAGE(5);

    private final int id;

    WireFormat(int id) {
        this.id = id;
    }

    /** The uint16 wire value. */
    public int id() {
        return id;
    }

    /** Unknown values (including the reserved 0) are a {@link DecodeException}. */
    public static WireFormat fromId(int id) throws DecodeException {
        for (WireFormat v : values()) {
            if (v.id == id) {
                return v;
            }
        }
        throw new DecodeException("unknown WireFormat value " + id);
    }

    public void writeTo(TlsWriter w) {
        w.uint16(id);
    }

    public static WireFormat readFrom(TlsReader r) throws DecodeException {
        return fromId(r.uint16());
    }
}
