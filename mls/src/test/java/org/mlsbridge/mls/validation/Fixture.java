package org.mlsbridge.mls.validation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeValidator;

/** A small group built from real KeyPackages, and helpers to make valid and broken leaves. */
final class Fixture {
    static final CryptoProvider PROVIDER = CryptoProvider.defaultProvider();
    static final Instant NOW = Instant.parse("2026-11-24T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Bytes GROUP_ID = Bytes.fromHex("67726f7570");

    final CipherSuite suite;
    final SuiteCrypto crypto;
    final List<SignatureIdentity> ids = new ArrayList<>();
    RatchetTree tree;
    GroupContext context;

    private Fixture(CipherSuite suite) {
        this.suite = suite;
        this.crypto = PROVIDER.suite(suite);
    }

    /** A group of {@code members} members m0..m(n-1) at leaves 0..n-1, default capabilities. */
    static Fixture group(CipherSuite suite, int members) {
        return group(suite, members, null);
    }

    static Fixture group(CipherSuite suite, int members, Capabilities caps) {
        Fixture f = new Fixture(suite);
        for (int i = 0; i < members; i++) {
            SignatureIdentity id = f.identity("m" + i);
            f.ids.add(id);
            LeafNode leaf = f.keyPackage(id, caps).leafNode();
            f.tree = f.tree == null ? RatchetTree.create(f.crypto, leaf) : f.tree.addLeaf(leaf).tree();
        }
        f.context = f.contextWith(List.of());
        return f;
    }

    static Fixture group(int members) {
        return group(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, members);
    }

    GroupContext contextWith(List<Extension> extensions) {
        return new GroupContext(1, suite, GROUP_ID, 3, tree.treeHash(), Bytes.fromHex("00"), extensions);
    }

    SignatureIdentity identity(String name) {
        return SignatureIdentity.generateBasic(PROVIDER, suite, Bytes.of(name.getBytes(StandardCharsets.UTF_8)));
    }

    KeyPackage keyPackage(String name) {
        return keyPackage(identity(name), null);
    }

    KeyPackage keyPackage(SignatureIdentity id, Capabilities caps) {
        KeyPackageBuilder b = KeyPackageBuilder.forIdentity(id).clock(CLOCK);
        if (caps != null) {
            b.capabilities(caps);
        }
        try {
            return b.build().keyPackage();
        } catch (CryptoException e) {
            throw new AssertionError(e);
        }
    }

    /** Capabilities like the defaults plus the given extension, proposal and credential types. */
    Capabilities caps(List<Integer> extensions, List<Integer> proposals, List<Integer> credentials) {
        Capabilities d = KeyPackageBuilder.defaultCapabilities(Credential.BASIC, List.of());
        List<Integer> ext = new ArrayList<>(d.extensions());
        ext.addAll(extensions);
        List<Integer> cred = new ArrayList<>(d.credentials());
        credentials.stream().filter(c -> !cred.contains(c)).forEach(cred::add);
        return new Capabilities(d.versions(), d.cipherSuites(), ext, proposals, cred);
    }

    /** Re-signs a (modified) KeyPackage and its leaf with {@code id}. */
    KeyPackage resign(SignatureIdentity id, KeyPackage kp) {
        LeafNode leaf = sign(id, kp.leafNode(), null);
        KeyPackage unsigned = new KeyPackage(kp.version(), kp.cipherSuite(), kp.initKey(), leaf, kp.extensions(),
                Bytes.EMPTY);
        try {
            return unsigned.withSignature(Bytes.wrap(id.signWithLabel(crypto, KeyPackage.SIGNATURE_LABEL,
                    unsigned.toBeSigned())));
        } catch (CryptoException e) {
            throw new AssertionError(e);
        }
    }

    LeafNode sign(SignatureIdentity id, LeafNode leaf, LeafIndex index) {
        try {
            return leaf.withSignature(Bytes.wrap(id.signWithLabel(crypto, TreeValidator.LEAF_SIGNATURE_LABEL,
                    leaf.toBeSigned(GROUP_ID, index))));
        } catch (CryptoException e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh, validly signed leaf of {@code source} for member {@code member}, transformed before signing. */
    LeafNode leaf(int member, LeafNodeSource source, UnaryOperator<LeafNode> change) {
        LeafNode current = tree.leaf(LeafIndex.of(member)).orElseThrow();
        LeafNode fresh = new LeafNode(crypto.generateHpkeKeyPair().publicKey(), current.signatureKey(),
                current.credential(), current.capabilities(), source, Optional.empty(),
                source == LeafNodeSource.COMMIT ? Optional.of(Bytes.fromHex("abcd")) : Optional.empty(),
                List.of(), Bytes.EMPTY);
        return sign(ids.get(member), change.apply(fresh), LeafIndex.of(member));
    }

    LeafNode updateLeaf(int member) {
        return leaf(member, LeafNodeSource.UPDATE, l -> l);
    }

    static LeafNode with(LeafNode l, Bytes encryptionKey, Bytes signatureKey, Credential credential,
            Capabilities capabilities, List<Extension> extensions) {
        return new LeafNode(encryptionKey, signatureKey, credential, capabilities, l.source(), l.lifetime(),
                l.parentHash(), extensions, l.signature());
    }

    static LeafNode withCapabilities(LeafNode l, Capabilities caps) {
        return with(l, l.encryptionKey(), l.signatureKey(), l.credential(), caps, l.extensions());
    }

    static LeafNode withExtensions(LeafNode l, List<Extension> extensions) {
        return with(l, l.encryptionKey(), l.signatureKey(), l.credential(), l.capabilities(), extensions);
    }

    static LeafIndex leaf(int i) {
        return LeafIndex.of(i);
    }
}
