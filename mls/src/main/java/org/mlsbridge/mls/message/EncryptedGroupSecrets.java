package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.HpkeCiphertext;

/**
 * {@code EncryptedGroupSecrets} of RFC 9420 §12.4.3.1.
 *
 * @param newMember the {@code KeyPackageRef} of the joiner this entry is for
 */
public record EncryptedGroupSecrets(Bytes newMember, HpkeCiphertext encryptedGroupSecrets) implements TlsEncodable {
    public EncryptedGroupSecrets {
        Objects.requireNonNull(newMember, "newMember");
        Objects.requireNonNull(encryptedGroupSecrets, "encryptedGroupSecrets");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(newMember);
        encryptedGroupSecrets.writeTo(w);
    }

    public static EncryptedGroupSecrets readFrom(TlsReader r) throws DecodeException {
        return new EncryptedGroupSecrets(r.opaque(), HpkeCiphertext.readFrom(r));
    }
}
