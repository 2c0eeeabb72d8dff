package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** The application_id leaf-node extension of RFC 9420 §5.3.3. */
public record ApplicationId(Bytes id) implements TlsEncodable {
    public ApplicationId {
        Objects.requireNonNull(id, "id");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(id);
    }

    public static ApplicationId readFrom(TlsReader r) throws DecodeException {
        return new ApplicationId(r.opaque());
    }

    public Extension toExtension() {
        return Extensions.of(Extension.APPLICATION_ID, this);
    }

    public static ApplicationId fromExtension(Extension ext) throws DecodeException {
        return Extensions.parse(ext, Extension.APPLICATION_ID, ApplicationId::readFrom);
    }
}
