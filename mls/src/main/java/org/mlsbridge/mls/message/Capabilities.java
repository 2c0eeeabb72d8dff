package org.mlsbridge.mls.message;

import java.util.List;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code Capabilities} of RFC 9420 §7.2. Values stay raw uint16s: GREASE (§13.5) and values we do
 * not implement must survive re-encoding, since the leaf signature covers them.
 */
public record Capabilities(List<Integer> versions, List<Integer> cipherSuites, List<Integer> extensions,
        List<Integer> proposals, List<Integer> credentials) implements TlsEncodable {
    public Capabilities {
        versions = List.copyOf(versions);
        cipherSuites = List.copyOf(cipherSuites);
        extensions = List.copyOf(extensions);
        proposals = List.copyOf(proposals);
        credentials = List.copyOf(credentials);
    }

    @Override
    public void writeTo(TlsWriter w) {
        Wire.writeUint16s(w, versions);
        Wire.writeUint16s(w, cipherSuites);
        Wire.writeUint16s(w, extensions);
        Wire.writeUint16s(w, proposals);
        Wire.writeUint16s(w, credentials);
    }

    public static Capabilities readFrom(TlsReader r) throws DecodeException {
        return new Capabilities(Wire.readUint16s(r), Wire.readUint16s(r), Wire.readUint16s(r),
                Wire.readUint16s(r), Wire.readUint16s(r));
    }
}
