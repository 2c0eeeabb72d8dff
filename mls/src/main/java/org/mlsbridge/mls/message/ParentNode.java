package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.tree.LeafIndex;

/** {@code ParentNode} of RFC 9420 §7.1. */
public record ParentNode(Bytes encryptionKey, Bytes parentHash, List<LeafIndex> unmergedLeaves) implements Node {
    public ParentNode {
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        Objects.requireNonNull(parentHash, "parentHash");
        unmergedLeaves = List.copyOf(unmergedLeaves);
    }

    @Override
    public NodeType nodeType() {
        return NodeType.PARENT;
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(encryptionKey).opaque(parentHash).vector(unmergedLeaves, Wire::writeLeafIndex);
    }

    public static ParentNode readFrom(TlsReader r) throws DecodeException {
        return new ParentNode(r.opaque(), r.opaque(), r.vector(Wire::readLeafIndex));
    }
}
