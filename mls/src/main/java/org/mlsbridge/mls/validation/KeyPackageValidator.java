package org.mlsbridge.mls.validation;

import java.util.Objects;
import java.util.Set;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;

/** KeyPackage validation (RFC 9420 §10.1). Stateless; leaf checks are {@link LeafNodeValidator}'s. */
public final class KeyPackageValidator {
    private final LeafNodeValidator leaves;

    public KeyPackageValidator(LeafNodeValidator leaves) {
        this.leaves = Objects.requireNonNull(leaves, "leaves");
    }

    public static KeyPackageValidator withDefaults() {
        return new KeyPackageValidator(LeafNodeValidator.withDefaults());
    }

    public LeafNodeValidator leaves() {
        return leaves;
    }

    /**
     * A KeyPackage about to be added to a group (Add proposal, or before proposing one).
     *
     * @param context the GroupContext in force for the Add (§12.3: after a GroupContextExtensions
     *     proposal of the same commit)
     * @param ignored leaves that no longer count as members, e.g. those removed by the same commit
     */
    public void validate(KeyPackage kp, GroupContext context, RatchetTree tree, Set<LeafIndex> ignored)
            throws ValidationException {
        if (kp.version() != context.version()) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage version " + kp.version()
                    + " does not match the group's " + context.version());
        }
        if (kp.cipherSuite() != context.cipherSuite()) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage cipher suite " + kp.cipherSuite()
                    + " does not match the group's " + context.cipherSuite());
        }
        checkOwn(tree.crypto(), kp);
        leaves.validateKeyPackageLeaf(kp.leafNode(), context, tree, ignored);
    }

    /**
     * The checks that need no group, e.g. before publishing or after claiming a KeyPackage:
     * version mls10, the expected suite, leaf source, capabilities, both signatures,
     * init_key != encryption_key and a credential the validator accepts. No lifetime check.
     */
    public void validateStandalone(KeyPackage kp, SuiteCrypto crypto) throws ValidationException {
        CipherSuite suite = crypto.suite();
        if (kp.version() != GroupContext.MLS10) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage version " + kp.version() + " is not mls10");
        }
        if (kp.cipherSuite() != suite) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage cipher suite " + kp.cipherSuite()
                    + " is not " + suite);
        }
        checkOwn(crypto, kp);
        LeafNodeValidator.checkStandalone(crypto, kp.leafNode(), null, null);
        LeafNodeValidator.checkEncryptionKey(crypto, kp.leafNode());
        if (!leaves.credentials().acceptsMember(kp.leafNode().credential(), kp.leafNode().signatureKey())) {
            throw new ValidationException(FailureReason.POLICY,
                    "RFC 9420 §5.3.1: the credential validator rejects the KeyPackage's credential "
                    + kp.leafNode().credential());
        }
    }

    /** Source, no duplicate extension types, init key distinct and usable, KeyPackage signature. */
    private static void checkOwn(SuiteCrypto crypto, KeyPackage kp) throws ValidationException {
        if (kp.leafNode().source() != LeafNodeSource.KEY_PACKAGE) {
            throw new ValidationException("RFC 9420 §10: the leaf of a KeyPackage must have leaf_node_source key_package");
        }
        // Only uniqueness: §10 asks the KeyPackage's creator to list its extensions in the leaf's
        // capabilities, but §10.1 does not make it a validation step and §13.4 says receivers
        // ignore unknown KeyPackage extensions (last_resort, GREASE, application ones).
        Capability.checkNoDuplicates(kp.extensions(), "the KeyPackage's extensions");
        if (kp.initKey().equals(kp.leafNode().encryptionKey())) {
            throw new ValidationException("RFC 9420 §10.1: init_key must differ from the leaf's encryption_key");
        }
        Capability.checkHpkePublicKey(crypto, kp.initKey(), "RFC 9420 §10: init_key");
        boolean ok;
        try {
            ok = crypto.verifyWithLabel(kp.leafNode().signatureKey(), KeyPackage.SIGNATURE_LABEL, kp.toBeSigned(),
                    kp.signature().toByteArray());
        } catch (CryptoException e) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §10.1: the KeyPackage's signature key is unusable", e);
        }
        if (!ok) {
            throw new ValidationException(FailureReason.BAD_SIGNATURE,
                    "RFC 9420 §10.1: the KeyPackage signature does not verify");
        }
    }
}
