package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.SuiteCrypto;

/** {@code KeyPackage} of RFC 9420 §10: what a client publishes so others can add it. */
public record KeyPackage(int version, CipherSuite cipherSuite, Bytes initKey, LeafNode leafNode,
        List<Extension> extensions, Bytes signature) implements TlsEncodable, MlsMessageBody {
    /** Label of the KeyPackage signature (SignWithLabel, §10). */
    public static final String SIGNATURE_LABEL = "KeyPackageTBS";

    public KeyPackage {
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(initKey, "initKey");
        Objects.requireNonNull(leafNode, "leafNode");
        Objects.requireNonNull(signature, "signature");
        extensions = List.copyOf(extensions);
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.KEY_PACKAGE;
    }

    public KeyPackage withSignature(Bytes newSignature) {
        return new KeyPackage(version, cipherSuite, initKey, leafNode, extensions, newSignature);
    }

    private void writeContent(TlsWriter w) {
        w.uint16(version).uint16(cipherSuite.id()).opaque(initKey);
        leafNode.writeTo(w);
        w.vector(extensions);
    }

    /** {@code KeyPackageTBS} (§10): everything but the signature. */
    public byte[] toBeSigned() {
        TlsWriter w = new TlsWriter(512);
        writeContent(w);
        return w.toByteArray();
    }

    /** {@code KeyPackageRef} (§5.2): how Welcomes and PEP items name this KeyPackage. */
    public Bytes ref(SuiteCrypto crypto) {
        return crypto.makeKeyPackageRef(toByteArray());
    }

    @Override
    public void writeTo(TlsWriter w) {
        writeContent(w);
        w.opaque(signature);
    }

    public static KeyPackage readFrom(TlsReader r) throws DecodeException {
        return new KeyPackage(Wire.readMls10(r), Wire.readSuite(r), r.opaque(), LeafNode.readFrom(r),
                Wire.readExtensions(r), r.opaque());
    }
}
