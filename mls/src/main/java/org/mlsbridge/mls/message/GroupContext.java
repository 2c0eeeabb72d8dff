package org.mlsbridge.mls.message;

import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;

/**
 * {@code GroupContext} of RFC 9420 §8.1: the summary of group state that every epoch secret,
 * signature and HPKE context is bound to.
 *
 * @param epoch unsigned 64-bit; values above 2^63-1 are negative here
 */
public record GroupContext(int version, CipherSuite cipherSuite, Bytes groupId, long epoch, Bytes treeHash,
        Bytes confirmedTranscriptHash, List<Extension> extensions) implements TlsEncodable {
    public static final int MLS10 = 1;

    public GroupContext {
        extensions = List.copyOf(extensions);
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.uint16(version).uint16(cipherSuite.id()).opaque(groupId).uint64(epoch).opaque(treeHash)
                .opaque(confirmedTranscriptHash).vector(extensions);
    }

    public static GroupContext readFrom(TlsReader r) throws DecodeException {
        int version = r.uint16();
        if (version != MLS10) {
            throw new DecodeException("unsupported protocol version " + version);
        }
        int suiteId = r.uint16();
        CipherSuite suite = CipherSuite.fromId(suiteId)
                .orElseThrow(() -> new DecodeException("unknown cipher suite " + suiteId));
        return new GroupContext(version, suite, r.opaque(), r.uint64(), r.opaque(), r.opaque(),
                r.vector(Extension::readFrom));
    }
}
