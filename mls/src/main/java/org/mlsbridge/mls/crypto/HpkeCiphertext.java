package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code HPKECiphertext} of RFC 9420 §7.6: the KEM output and the AEAD ciphertext. */
public record HpkeCiphertext(Bytes kemOutput, Bytes ciphertext) implements TlsEncodable {
    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(kemOutput).opaque(ciphertext);
    }

    public static HpkeCiphertext readFrom(TlsReader r) throws DecodeException {
        return new HpkeCiphertext(r.opaque(), r.opaque());
    }
}
