package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code Lifetime} of RFC 9420 §7.2, in seconds since the Unix epoch. Both are unsigned 64-bit:
 * values above 2^63-1 are negative here, so compare with {@link Long#compareUnsigned}.
 */
public record Lifetime(long notBefore, long notAfter) implements TlsEncodable {
    @Override
    public void writeTo(TlsWriter w) {
        w.uint64(notBefore).uint64(notAfter);
    }

    public static Lifetime readFrom(TlsReader r) throws DecodeException {
        return new Lifetime(r.uint64(), r.uint64());
    }
}
