package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code Extension} of RFC 9420 §13: a type and opaque data. Kept opaque on the wire so unknown
 * extensions survive re-encoding byte for byte; typed views parse {@code data} on demand.
 */
public record Extension(int type, Bytes data) implements TlsEncodable {
    public static final int APPLICATION_ID = 0x0001;
    public static final int RATCHET_TREE = 0x0002;
    public static final int REQUIRED_CAPABILITIES = 0x0003;
    public static final int EXTERNAL_PUB = 0x0004;
    public static final int EXTERNAL_SENDERS = 0x0005;
    /** draft-ietf-mls-extensions: a KeyPackage that may be used more than once. */
    public static final int LAST_RESORT = 0x000A;

    public Extension {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("extension type out of range: " + type);
        }
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.uint16(type).opaque(data);
    }

    public static Extension readFrom(TlsReader r) throws DecodeException {
        return new Extension(r.uint16(), r.opaque());
    }
}
