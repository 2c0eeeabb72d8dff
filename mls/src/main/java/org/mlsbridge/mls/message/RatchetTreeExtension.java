package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * The ratchet_tree extension of RFC 9420 §12.4.3.3: {@code optional<Node> nodes<V>}, the tree in
 * array order with blank nodes empty. Only the encoding is checked here; the tree's shape (no
 * trailing blanks, leaves at even positions) is for tree validation.
 */
public record RatchetTreeExtension(List<Optional<Node>> nodes) implements TlsEncodable {
    public RatchetTreeExtension {
        nodes = List.copyOf(nodes);
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.vector(nodes, (ww, node) -> ww.optional(node, Node::writeNode));
    }

    public static RatchetTreeExtension readFrom(TlsReader r) throws DecodeException {
        return new RatchetTreeExtension(r.vector(rr -> rr.optional(Node::readFrom)));
    }

    /** Reads the wire form ({@code encode()}) of a tree received out of band; trailing bytes are an error. */
    public static RatchetTreeExtension decode(Bytes data) throws DecodeException {
        return TlsReader.decode(data, RatchetTreeExtension::readFrom);
    }

    public Extension toExtension() {
        return Extensions.of(Extension.RATCHET_TREE, this);
    }

    public static RatchetTreeExtension fromExtension(Extension ext) throws DecodeException {
        return Extensions.parse(ext, Extension.RATCHET_TREE, RatchetTreeExtension::readFrom);
    }
}
