package org.mlsbridge.mls.group;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * KeyPackages made the way other MLS implementations make them, which our own builder refuses
 * to make: capabilities that do not list the KeyPackage's own cipher suite, KeyPackage
 * extensions (last_resort, GREASE) that the capabilities do not list, and GREASE values
 * (RFC 9420 §13.5) in every capability list and as a (listed) leaf extension.
 */
final class ForeignStacks {
    /** GREASE values of RFC 9420 §13.5 (0x0A0A + n * 0x1010). */
    static final int GREASE_1 = 0x0A0A;
    static final int GREASE_2 = 0x3A3A;
    static final int GREASE_3 = 0xDADA;

    private ForeignStacks() {
    }

    /** Capabilities with GREASE everywhere and, of real suites, only one other than {@code own}. */
    static Capabilities greasedCapabilitiesWithout(CipherSuite own) {
        int other = own == CipherSuite.MLS_128_DHKEMP256_AES128GCM_SHA256_P256
                ? CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519.id()
                : CipherSuite.MLS_128_DHKEMP256_AES128GCM_SHA256_P256.id();
        return new Capabilities(List.of(GroupContext.MLS10, GREASE_1), List.of(GREASE_2, other),
                List.of(GREASE_3), List.of(GREASE_1), List.of(Credential.BASIC, GREASE_2));
    }

    /**
     * A signed KeyPackage with {@link #greasedCapabilitiesWithout} its suite, a GREASE leaf
     * extension (listed, as §7.3 requires), and last_resort plus a GREASE KeyPackage extension
     * that the capabilities do not list.
     */
    static KeyPackageBundle keyPackage(SignatureIdentity identity) throws CryptoException {
        SuiteCrypto crypto = GroupConfig.DEFAULT.crypto().suite(identity.cipherSuite());
        HpkeKeyPair init = crypto.generateHpkeKeyPair();
        HpkeKeyPair leafKeys = crypto.generateHpkeKeyPair();
        long now = Instant.now().getEpochSecond();
        LeafNode unsigned = new LeafNode(leafKeys.publicKey(), identity.signaturePublicKey(), identity.credential(),
                greasedCapabilitiesWithout(identity.cipherSuite()), LeafNodeSource.KEY_PACKAGE,
                Optional.of(new Lifetime(now - 3600, now + 86_400)), Optional.empty(),
                List.of(new Extension(GREASE_3, Bytes.of(new byte[] {1, 2, 3}))), Bytes.EMPTY);
        LeafNode leaf = unsigned.withSignature(Bytes.wrap(identity.signWithLabel(crypto,
                TreeValidator.LEAF_SIGNATURE_LABEL, unsigned.toBeSigned(null, null))));
        KeyPackage unsignedKp = new KeyPackage(GroupContext.MLS10, identity.cipherSuite(), init.publicKey(), leaf,
                List.of(new Extension(Extension.LAST_RESORT, Bytes.EMPTY), new Extension(GREASE_1, Bytes.EMPTY)),
                Bytes.EMPTY);
        KeyPackage kp = unsignedKp.withSignature(Bytes.wrap(identity.signWithLabel(crypto,
                KeyPackage.SIGNATURE_LABEL, unsignedKp.toBeSigned())));
        return new KeyPackageBundle(kp, init.privateKey(), leafKeys.privateKey());
    }

    /** Creating groups and adding members as some other stacks do: no adder-side capability check. */
    static GroupConfig lenientAdder() {
        return GroupConfig.DEFAULT.withValidation(ValidationPolicy.DEFAULT.withJoinerCapabilitiesChecked(false));
    }
}
