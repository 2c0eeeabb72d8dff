package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * {@code LeafNode} of RFC 9420 §7.2. The source decides which of {@code lifetime} (key_package) and
 * {@code parentHash} (commit) is present; the constructor enforces that, so every value encodes.
 */
public record LeafNode(Bytes encryptionKey, Bytes signatureKey, Credential credential, Capabilities capabilities,
        LeafNodeSource source, Optional<Lifetime> lifetime, Optional<Bytes> parentHash,
        List<Extension> extensions, Bytes signature) implements Node {
    /** Label of the leaf-node signature (SignWithLabel, §7.2). */
    public static final String SIGNATURE_LABEL = "LeafNodeTBS";

    public LeafNode {
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        Objects.requireNonNull(signatureKey, "signatureKey");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(signature, "signature");
        extensions = List.copyOf(extensions);
        if (lifetime.isPresent() != (source == LeafNodeSource.KEY_PACKAGE)) {
            throw new IllegalArgumentException("lifetime must be present exactly for key_package leaf nodes");
        }
        if (parentHash.isPresent() != (source == LeafNodeSource.COMMIT)) {
            throw new IllegalArgumentException("parent hash must be present exactly for commit leaf nodes");
        }
    }

    @Override
    public NodeType nodeType() {
        return NodeType.LEAF;
    }

    /** This leaf with another signature (used when signing a freshly built leaf). */
    public LeafNode withSignature(Bytes newSignature) {
        return new LeafNode(encryptionKey, signatureKey, credential, capabilities, source, lifetime, parentHash,
                extensions, newSignature);
    }

    private void writeContent(TlsWriter w) {
        w.opaque(encryptionKey).opaque(signatureKey);
        credential.writeTo(w);
        capabilities.writeTo(w);
        source.writeTo(w);
        switch (source) {
            case KEY_PACKAGE -> lifetime.orElseThrow().writeTo(w);
            case UPDATE -> { }
            case COMMIT -> w.opaque(parentHash.orElseThrow());
        }
        w.vector(extensions);
    }

    @Override
    public void writeTo(TlsWriter w) {
        writeContent(w);
        w.opaque(signature);
    }

    /**
     * {@code LeafNodeTBS} (§7.2), the content of the leaf's signature. For update and commit
     * leaves it binds the group and the leaf position; for key_package leaves both arguments are
     * ignored and may be null.
     */
    public byte[] toBeSigned(Bytes groupId, LeafIndex leafIndex) {
        TlsWriter w = new TlsWriter(256);
        writeContent(w);
        if (source != LeafNodeSource.KEY_PACKAGE) {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(leafIndex, "leafIndex");
            w.opaque(groupId).uint32(leafIndex.value());
        }
        return w.toByteArray();
    }

    public static LeafNode readFrom(TlsReader r) throws DecodeException {
        Bytes encryptionKey = r.opaque();
        Bytes signatureKey = r.opaque();
        Credential credential = Credential.readFrom(r);
        Capabilities capabilities = Capabilities.readFrom(r);
        LeafNodeSource source = LeafNodeSource.readFrom(r);
        Optional<Lifetime> lifetime = Optional.empty();
        Optional<Bytes> parentHash = Optional.empty();
        switch (source) {
            case KEY_PACKAGE -> lifetime = Optional.of(Lifetime.readFrom(r));
            case UPDATE -> { }
            case COMMIT -> parentHash = Optional.of(r.opaque());
        }
        List<Extension> extensions = Wire.readExtensions(r);
        Bytes signature = r.opaque();
        return new LeafNode(encryptionKey, signatureKey, credential, capabilities, source, lifetime, parentHash,
                extensions, signature);
    }
}
