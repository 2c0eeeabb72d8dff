package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.HpkeCiphertext;

/** {@code UpdatePathNode} of RFC 9420 §7.6: a new public key and its path secret, encrypted per resolution node. */
public record UpdatePathNode(Bytes encryptionKey, List<HpkeCiphertext> encryptedPathSecret) implements TlsEncodable {
    public UpdatePathNode {
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        encryptedPathSecret = List.copyOf(encryptedPathSecret);
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(encryptionKey).vector(encryptedPathSecret);
    }

    public static UpdatePathNode readFrom(TlsReader r) throws DecodeException {
        return new UpdatePathNode(r.opaque(), r.vector(HpkeCiphertext::readFrom));
    }
}
