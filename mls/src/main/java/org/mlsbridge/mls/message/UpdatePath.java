package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/** {@code UpdatePath} of RFC 9420 §7.6: the committer's new leaf and one node per filtered direct-path node. */
public record UpdatePath(LeafNode leafNode, List<UpdatePathNode> nodes) implements TlsEncodable {
    public UpdatePath {
        Objects.requireNonNull(leafNode, "leafNode");
        nodes = List.copyOf(nodes);
    }

    @Override
    public void writeTo(TlsWriter w) {
        leafNode.writeTo(w);
        w.vector(nodes);
    }

    public static UpdatePath readFrom(TlsReader r) throws DecodeException {
        return new UpdatePath(LeafNode.readFrom(r), r.vector(UpdatePathNode::readFrom));
    }
}
