package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;

/** {@code Welcome} of RFC 9420 §12.4.3.1. */
public record Welcome(CipherSuite cipherSuite, List<EncryptedGroupSecrets> secrets, Bytes encryptedGroupInfo)
        implements TlsEncodable, MlsMessageBody {
    public Welcome {
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(encryptedGroupInfo, "encryptedGroupInfo");
        secrets = List.copyOf(secrets);
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.WELCOME;
    }

    /** The entry for the joiner whose KeyPackageRef is {@code keyPackageRef}, if any. */
    public Optional<EncryptedGroupSecrets> secretsFor(Bytes keyPackageRef) {
        return secrets.stream().filter(s -> s.newMember().equals(keyPackageRef)).findFirst();
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.uint16(cipherSuite.id()).vector(secrets).opaque(encryptedGroupInfo);
    }

    public static Welcome readFrom(TlsReader r) throws DecodeException {
        return new Welcome(Wire.readSuite(r), r.vector(EncryptedGroupSecrets::readFrom), r.opaque());
    }
}
