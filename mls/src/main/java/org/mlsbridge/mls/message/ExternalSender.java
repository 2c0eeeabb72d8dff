package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code ExternalSender} of RFC 9420 §12.1.8.1: a non-member allowed to send proposals. */
public record ExternalSender(Bytes signatureKey, Credential credential) implements TlsEncodable {
    public ExternalSender {
        Objects.requireNonNull(signatureKey, "signatureKey");
        Objects.requireNonNull(credential, "credential");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(signatureKey);
        credential.writeTo(w);
    }

    public static ExternalSender readFrom(TlsReader r) throws DecodeException {
        return new ExternalSender(r.opaque(), Credential.readFrom(r));
    }

    /** The external_senders extension holding {@code senders}. */
    public static Extension toExtension(List<ExternalSender> senders) {
        TlsWriter w = new TlsWriter();
        w.vector(senders);
        return new Extension(Extension.EXTERNAL_SENDERS, Bytes.wrap(w.toByteArray()));
    }

    /** The senders listed in an external_senders extension. */
    public static List<ExternalSender> fromExtension(Extension ext) throws DecodeException {
        return Extensions.parse(ext, Extension.EXTERNAL_SENDERS, r -> r.vector(ExternalSender::readFrom));
    }
}
