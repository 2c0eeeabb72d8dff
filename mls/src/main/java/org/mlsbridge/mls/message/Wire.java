package org.mlsbridge.mls.message;

import java.util.List;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.tree.LeafIndex;

/** Field codecs shared by several wire structs of this package. */
final class Wire {
    private Wire() {
    }

    static CipherSuite readSuite(TlsReader r) throws DecodeException {
        int id = r.uint16();
        return CipherSuite.fromId(id).orElseThrow(() -> new DecodeException("unknown cipher suite " + id));
    }

    /** ProtocolVersion where only mls10 can be understood. */
    static int readMls10(TlsReader r) throws DecodeException {
        int version = r.uint16();
        if (version != GroupContext.MLS10) {
            throw new DecodeException("unsupported protocol version " + version);
        }
        return version;
    }

    static LeafIndex readLeafIndex(TlsReader r) throws DecodeException {
        return LeafIndex.of(r.uint32AsInt("leaf index"));
    }

    static void writeLeafIndex(TlsWriter w, LeafIndex leaf) {
        w.uint32(leaf.value());
    }

    static List<Integer> readUint16s(TlsReader r) throws DecodeException {
        return r.vector(TlsReader::uint16);
    }

    static void writeUint16s(TlsWriter w, List<Integer> values) {
        w.vector(values, TlsWriter::uint16);
    }

    static List<Extension> readExtensions(TlsReader r) throws DecodeException {
        return r.vector(Extension::readFrom);
    }
}
