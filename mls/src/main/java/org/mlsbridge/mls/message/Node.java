package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * {@code Node} of RFC 9420 §7.8: a leaf or parent node of the ratchet tree. Note that
 * {@link #writeTo} of a variant writes the bare {@code LeafNode}/{@code ParentNode};
 * {@link #writeNode} and {@link #readFrom} handle the tagged {@code Node} form.
 */
public sealed interface Node extends TlsEncodable permits LeafNode, ParentNode {
    NodeType nodeType();

    /** The tagged form: node type, then the node. */
    default void writeAsNode(TlsWriter w) {
        nodeType().writeTo(w);
        writeTo(w);
    }

    static void writeNode(TlsWriter w, Node node) {
        node.writeAsNode(w);
    }

    /** Reads the tagged form. */
    static Node readFrom(TlsReader r) throws DecodeException {
        return switch (NodeType.readFrom(r)) {
            case LEAF -> LeafNode.readFrom(r);
            case PARENT -> ParentNode.readFrom(r);
        };
    }
}
