package org.mlsbridge.mls.codec;

/** A wire structure: {@code writeTo} here, and by convention a {@code static readFrom(TlsReader)}. */
public interface TlsEncodable {
    void writeTo(TlsWriter writer);

    /** The TLS encoding of this value. */
    default byte[] toByteArray() {
        TlsWriter w = new TlsWriter();
        writeTo(w);
        return w.toByteArray();
    }

    default Bytes encode() {
        return Bytes.wrap(toByteArray());
    }
}
