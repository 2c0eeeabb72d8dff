package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** The external_pub GroupInfo extension of RFC 9420 §12.4.3.2: the HPKE key for external commits. */
public record ExternalPub(Bytes externalPub) implements TlsEncodable {
    public ExternalPub {
        Objects.requireNonNull(externalPub, "externalPub");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(externalPub);
    }

    public static ExternalPub readFrom(TlsReader r) throws DecodeException {
        return new ExternalPub(r.opaque());
    }

    public Extension toExtension() {
        return Extensions.of(Extension.EXTERNAL_PUB, this);
    }

    public static ExternalPub fromExtension(Extension ext) throws DecodeException {
        return Extensions.parse(ext, Extension.EXTERNAL_PUB, ExternalPub::readFrom);
    }
}
