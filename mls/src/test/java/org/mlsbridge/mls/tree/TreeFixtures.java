package org.mlsbridge.mls.tree;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;

/** Members with real keys, and cheap fake leaves for structure-only tests. */
final class TreeFixtures {
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    static final SuiteCrypto CRYPTO = CryptoProvider.defaultProvider().suite(SUITE);
    static final Bytes GROUP_ID = Bytes.wrap("tree-test-group".getBytes(StandardCharsets.US_ASCII));

    private TreeFixtures() {
    }

    /** A member: its key-package leaf and the private keys behind it. */
    record Member(String name, LeafNode leaf, HpkeKeyPair encryption, SignatureKeyPair signature) {
    }

    static Capabilities capabilities() {
        return new Capabilities(List.of(1), List.of(SUITE.id()), List.of(), List.of(), List.of(1));
    }

    static Member member(String name) throws MlsException {
        HpkeKeyPair enc = CRYPTO.generateHpkeKeyPair();
        SignatureKeyPair sig = CRYPTO.generateSignatureKeyPair();
        LeafNode unsigned = new LeafNode(enc.publicKey(), sig.publicKey(),
                new Credential.BasicCredential(Bytes.wrap(name.getBytes(StandardCharsets.UTF_8))), capabilities(),
                LeafNodeSource.KEY_PACKAGE, Optional.of(new Lifetime(0, -1)), Optional.empty(), List.of(), Bytes.EMPTY);
        byte[] signature = CRYPTO.signWithLabel(sig.privateKey(), TreeValidator.LEAF_SIGNATURE_LABEL,
                unsigned.toBeSigned(null, null));
        return new Member(name, unsigned.withSignature(Bytes.wrap(signature)), enc, sig);
    }

    /** A well-formed leaf with random keys and no valid signature: enough for hashing and structure. */
    static LeafNode fakeLeaf(Random random) {
        byte[] enc = new byte[32];
        byte[] sig = new byte[32];
        byte[] signature = new byte[64];
        random.nextBytes(enc);
        random.nextBytes(sig);
        random.nextBytes(signature);
        return new LeafNode(Bytes.wrap(enc), Bytes.wrap(sig), new Credential.BasicCredential(Bytes.fromHex("6d")),
                capabilities(), LeafNodeSource.KEY_PACKAGE, Optional.of(new Lifetime(0, -1)), Optional.empty(),
                List.of(), Bytes.wrap(signature));
    }

    /** A tree of {@code n} fake leaves, built by adding one at a time. */
    static RatchetTree fakeTree(SuiteCrypto crypto, int n, Random random) {
        RatchetTree t = RatchetTree.create(crypto, fakeLeaf(random));
        for (int i = 1; i < n; i++) {
            t = t.addLeaf(fakeLeaf(random)).tree();
        }
        return t;
    }
}
