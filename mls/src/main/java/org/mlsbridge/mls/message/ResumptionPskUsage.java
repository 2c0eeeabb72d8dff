package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code ResumptionPSKUsage} of RFC 9420 §8.4. */
public enum ResumptionPskUsage {
    APPLICATION(1),
    REINIT(2),
    BRANCH(3);

    private final int id;

    ResumptionPskUsage(int id) {
        this.id = id;
    }

    /** The uint8 wire value. */
    public int id() {
        return id;
    }

    /** Unknown values (including the reserved 0) are a {@link DecodeException}. */
    public static ResumptionPskUsage fromId(int id) throws DecodeException {
        for (ResumptionPskUsage v : values()) {
            if (v.id == id) {
                return v;
            }
        }
        throw new DecodeException("unknown ResumptionPskUsage value " + id);
    }

    public void writeTo(TlsWriter w) {
        w.uint8(id);
    }

    public static ResumptionPskUsage readFrom(TlsReader r) throws DecodeException {
        return fromId(r.uint8());
    }
}
