package org.mlsbridge.mls.message;

import java.util.List;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** The required_capabilities GroupContext extension of RFC 9420 §11.1 (raw uint16 type values). */
public record RequiredCapabilities(List<Integer> extensions, List<Integer> proposals, List<Integer> credentials)
        implements TlsEncodable {
    public RequiredCapabilities {
        extensions = List.copyOf(extensions);
        proposals = List.copyOf(proposals);
        credentials = List.copyOf(credentials);
    }

    @Override
    public void writeTo(TlsWriter w) {
        Wire.writeUint16s(w, extensions);
        Wire.writeUint16s(w, proposals);
        Wire.writeUint16s(w, credentials);
    }

    public static RequiredCapabilities readFrom(TlsReader r) throws DecodeException {
        return new RequiredCapabilities(Wire.readUint16s(r), Wire.readUint16s(r), Wire.readUint16s(r));
    }

    public Extension toExtension() {
        return Extensions.of(Extension.REQUIRED_CAPABILITIES, this);
    }

    public static RequiredCapabilities fromExtension(Extension ext) throws DecodeException {
        return Extensions.parse(ext, Extension.REQUIRED_CAPABILITIES, RequiredCapabilities::readFrom);
    }
}
