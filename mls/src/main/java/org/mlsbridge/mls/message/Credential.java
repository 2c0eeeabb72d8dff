package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code Credential} of RFC 9420 §5.3: a member's identity, bound to its signature key. */
public sealed interface Credential extends TlsEncodable permits Credential.BasicCredential, Credential.X509Credential {
    int BASIC = 0x0001;
    int X509 = 0x0002;

    /** The uint16 {@code CredentialType}. */
    int type();

    /** {@code basic}: an opaque identity the application interprets. */
    record BasicCredential(Bytes identity) implements Credential {
        public BasicCredential {
            Objects.requireNonNull(identity, "identity");
        }

        @Override
        public int type() {
            return BASIC;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint16(BASIC).opaque(identity);
        }
    }

    /** {@code x509}: a DER certificate chain, leaf first. */
    record X509Credential(List<Bytes> certificates) implements Credential {
        public X509Credential {
            certificates = List.copyOf(certificates);
        }

        @Override
        public int type() {
            return X509;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint16(X509).vector(certificates, TlsWriter::opaque);
        }
    }

    static Credential readFrom(TlsReader r) throws DecodeException {
        int type = r.uint16();
        return switch (type) {
            case BASIC -> new BasicCredential(r.opaque());
            case X509 -> new X509Credential(r.vector(TlsReader::opaque));
            default -> throw new DecodeException("unknown credential type " + type);
        };
    }
}
