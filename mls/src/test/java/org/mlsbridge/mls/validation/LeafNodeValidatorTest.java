package org.mlsbridge.mls.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlsbridge.mls.validation.Fixture.leaf;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.tree.RatchetTree;

class LeafNodeValidatorTest {
    private static final CredentialValidator ACCEPT_ALL = new CredentialValidator() {
        @Override
        public boolean acceptsMember(Credential credential, Bytes signatureKey) {
            return true;
        }

        @Override
        public boolean acceptsExternalSender(Credential credential, Bytes signatureKey) {
            return true;
        }

        @Override
        public boolean acceptsSuccessor(Credential current, Credential next) {
            return true;
        }
    };

    private final Fixture f = Fixture.group(3);
    private final LeafNodeValidator validator = new LeafNodeValidator(CredentialValidator.basic(), Fixture.CLOCK);

    private LeafNode kpLeaf(SignatureIdentity id, java.util.function.UnaryOperator<LeafNode> change) {
        LeafNode leaf = f.keyPackage(id, null).leafNode();
        return f.sign(id, change.apply(leaf), null);
    }

    private void assertRejectsKp(LeafNode leaf, String message) {
        assertThatThrownBy(() -> validator.validateKeyPackageLeaf(leaf, f.context, f.tree, Set.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining(message);
    }

    @Test
    void validKeyPackageLeafPasses() {
        LeafNode leaf = f.keyPackage("new").leafNode();
        assertThatCode(() -> validator.validateKeyPackageLeaf(leaf, f.context, f.tree, Set.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void keyPackageLeafMustHaveKeyPackageSource() {
        assertRejectsKp(f.updateLeaf(0), "§7.3: a leaf in a KeyPackage must have leaf_node_source key_package");
    }

    @Test
    void badSignatureIsRejected() {
        LeafNode leaf = f.keyPackage("new").leafNode();
        assertRejectsKp(leaf.withSignature(Bytes.fromHex("00".repeat(64))), "§7.3: the signature of");
    }

    @Test
    void lifetimeIsCheckedAgainstTheClock() {
        SignatureIdentity id = f.identity("new");
        LeafNode expired = kpLeaf(id, l -> new LeafNode(l.encryptionKey(), l.signatureKey(), l.credential(),
                l.capabilities(), l.source(), Optional.of(new Lifetime(0, Fixture.NOW.getEpochSecond() - 1)),
                Optional.empty(), l.extensions(), l.signature()));
        assertRejectsKp(expired, "§7.3: the leaf's lifetime has expired");
        LeafNode future = kpLeaf(id, l -> new LeafNode(l.encryptionKey(), l.signatureKey(), l.credential(),
                l.capabilities(), l.source(), Optional.of(new Lifetime(Fixture.NOW.getEpochSecond() + 10, -1)),
                Optional.empty(), l.extensions(), l.signature()));
        assertRejectsKp(future, "§7.3: the leaf's lifetime has not begun");
        // Unsigned 64-bit: 2^64-1 as not_after is far in the future, not negative.
        LeafNode forever = kpLeaf(id, l -> new LeafNode(l.encryptionKey(), l.signatureKey(), l.credential(),
                l.capabilities(), l.source(), Optional.of(new Lifetime(0, -1)), Optional.empty(), l.extensions(),
                l.signature()));
        assertThatCode(() -> validator.validateKeyPackageLeaf(forever, f.context, f.tree, Set.of()))
                .doesNotThrowAnyException();
        LeafNodeValidator later = new LeafNodeValidator(CredentialValidator.basic(),
                Clock.fixed(Fixture.NOW.plus(Duration.ofDays(91)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.validateKeyPackageLeaf(f.keyPackage("x").leafNode(), f.context, f.tree,
                Set.of())).hasMessageContaining("expired");
        LeafNodeValidator lax = LeafNodeValidator.ignoringLifetimes(CredentialValidator.basic());
        assertThatCode(() -> lax.validateKeyPackageLeaf(expired, f.context, f.tree, Set.of()))
                .doesNotThrowAnyException();
        assertThat(lax.clock()).isEmpty();
    }

    @Test
    void credentialValidatorIsAsked() {
        SignatureIdentity empty = f.identity("");
        assertRejectsKp(f.keyPackage(empty, null).leafNode(), "§5.3.1: the credential validator rejects");
    }

    @Test
    void ownCredentialTypeMustBeListed() {
        SignatureIdentity id = f.identity("new");
        LeafNode leaf = kpLeaf(id, l -> Fixture.withCapabilities(l, new Capabilities(List.of(1), List.of(1),
                List.of(), List.of(), List.of(2))));
        assertRejectsKp(leaf, "§7.2: the leaf's capabilities do not list its own credential type 1");
    }

    @Test
    void leafExtensionsMustBeListedUnlessDefault() {
        SignatureIdentity id = f.identity("new");
        assertRejectsKp(kpLeaf(id, l -> Fixture.withExtensions(l, List.of(new Extension(0xff00, Bytes.EMPTY)))),
                "§7.3: the leaf carries extension type 65280 that its capabilities do not list");
        LeafNode appId = kpLeaf(id, l -> Fixture.withExtensions(l,
                List.of(new Extension(Extension.APPLICATION_ID, Bytes.fromHex("01")))));
        assertThatCode(() -> validator.validateKeyPackageLeaf(appId, f.context, f.tree, Set.of()))
                .doesNotThrowAnyException();
        assertRejectsKp(kpLeaf(id, l -> Fixture.withExtensions(l, List.of(new Extension(1, Bytes.EMPTY),
                new Extension(1, Bytes.EMPTY)))), "§13.4: the leaf's extensions has two extensions of type 1");
    }

    /**
     * §7.3 and §10.1 do not ask a received leaf to list the group's version or cipher suite, and
     * other implementations make leaves that do not: every receiving path accepts them. Only the
     * adder's check of §11 ({@link JoinerSupport}) refuses them.
     */
    @Test
    void leavesNeedNotListTheGroupsVersionOrSuite() throws Exception {
        SignatureIdentity id = f.identity("new");
        for (Capabilities caps : List.of(
                new Capabilities(List.of(1), List.of(2, 0x0A0A), List.of(), List.of(), List.of(1)),
                new Capabilities(List.of(0x1A1A), List.of(1), List.of(), List.of(), List.of(1)))) {
            LeafNode leaf = kpLeaf(id, l -> Fixture.withCapabilities(l, caps));
            assertThatCode(() -> validator.validateKeyPackageLeaf(leaf, f.context, f.tree, Set.of()))
                    .doesNotThrowAnyException();
            KeyPackage kp = f.resign(id, new KeyPackage(1, f.context.cipherSuite(),
                    f.keyPackage(id, null).initKey(), leaf, List.of(), Bytes.EMPTY));
            assertThatThrownBy(() -> JoinerSupport.check(kp, f.context)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("§11").extracting(e -> ((ValidationException) e).reason())
                    .isEqualTo(FailureReason.POLICY);
        }
        RatchetTree withForeignLeaf = f.tree.addLeaf(kpLeaf(id, l -> Fixture.withCapabilities(l,
                new Capabilities(List.of(1), List.of(0x2A2A), List.of(), List.of(), List.of(1))))).tree();
        assertThatCode(() -> validator.validateTree(withForeignLeaf, f.context)).doesNotThrowAnyException();
    }

    @Test
    void requiredCapabilitiesMustBeSupported() {
        LeafNode leaf = f.keyPackage("new").leafNode();
        for (RequiredCapabilities req : List.of(
                new RequiredCapabilities(List.of(0xff00), List.of(), List.of()),
                new RequiredCapabilities(List.of(), List.of(0xff01), List.of()),
                new RequiredCapabilities(List.of(), List.of(), List.of(2)))) {
            var ctx = f.contextWith(List.of(req.toExtension()));
            assertThatThrownBy(() -> validator.validateKeyPackageLeaf(leaf, ctx, f.tree, Set.of()))
                    .hasMessageContaining("§7.3: the leaf does not support the group's required");
        }
        // Default types and listed ones pass.
        var ok = f.contextWith(List.of(new RequiredCapabilities(List.of(Extension.EXTERNAL_SENDERS,
                Extension.LAST_RESORT), List.of(1), List.of(1)).toExtension()));
        assertThatCode(() -> validator.validateKeyPackageLeaf(leaf, ok, f.tree, Set.of())).doesNotThrowAnyException();
    }

    @Test
    void credentialTypesMustBeMutuallySupported() {
        LeafNodeValidator lenient = new LeafNodeValidator(ACCEPT_ALL, Fixture.CLOCK);
        SignatureIdentity x509 = new SignatureIdentity(new Credential.X509Credential(List.of(Bytes.fromHex("3000"))),
                f.identity("x").keyPair(), f.suite);
        // The new leaf uses x509, which the members do not list.
        LeafNode leaf = f.keyPackage(x509, f.caps(List.of(), List.of(), List.of(2))).leafNode();
        assertThatThrownBy(() -> lenient.validateKeyPackageLeaf(leaf, f.context, f.tree, Set.of()))
                .hasMessageContaining("§7.3: the leaf's credential type 2 is not supported by leaf 0");
        // A group whose members support x509 but the new leaf supports only x509, while members use basic.
        Fixture g = Fixture.group(f.suite, 2, f.caps(List.of(), List.of(), List.of(2)));
        LeafNode onlyX509 = g.keyPackage(x509, new Capabilities(List.of(1), List.of(1), List.of(), List.of(),
                List.of(2))).leafNode();
        assertThatThrownBy(() -> lenient.validateKeyPackageLeaf(onlyX509, g.context, g.tree, Set.of()))
                .hasMessageContaining("§7.3: the leaf does not support the credential type 1 of leaf 0");
        LeafNode both = g.keyPackage(x509, g.caps(List.of(), List.of(), List.of(2))).leafNode();
        assertThatCode(() -> lenient.validateKeyPackageLeaf(both, g.context, g.tree, Set.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void keysMustBeUniqueUnlessTheHolderIsIgnored() {
        LeafNode member1 = f.tree.leaf(leaf(1)).orElseThrow();
        SignatureIdentity id = f.identity("new");
        LeafNode sameEnc = kpLeaf(id, l -> Fixture.with(l, member1.encryptionKey(), l.signatureKey(), l.credential(),
                l.capabilities(), l.extensions()));
        assertRejectsKp(sameEnc, "§7.3: the leaf's encryption_key is already used by leaf 1");
        LeafNode sameSig = f.keyPackage(f.ids.get(1), null).leafNode();
        assertRejectsKp(sameSig, "§7.3: the leaf's signature_key is already used by leaf 1");
        assertThatCode(() -> validator.validateKeyPackageLeaf(sameSig, f.context, f.tree, Set.of(leaf(1))))
                .doesNotThrowAnyException();
    }

    @Test
    void encryptionKeyMustNotRepeatAParentKey() throws Exception {
        // Two members and a parent with a known key.
        Fixture g = Fixture.group(2);
        var parentKey = g.crypto.generateHpkeKeyPair().publicKey();
        var nodes = new java.util.ArrayList<>(g.tree.toNodes());
        nodes.set(1, Optional.of(new org.mlsbridge.mls.message.ParentNode(parentKey, Bytes.EMPTY, List.of())));
        RatchetTree withParent = RatchetTree.fromNodes(g.crypto, nodes);
        SignatureIdentity id = g.identity("new");
        LeafNode leaf = g.sign(id, Fixture.with(g.keyPackage(id, null).leafNode(), parentKey, id.signaturePublicKey(),
                id.credential(), g.keyPackage(id, null).leafNode().capabilities(), List.of()), null);
        assertThatThrownBy(() -> validator.validateKeyPackageLeaf(leaf, g.context, withParent, Set.of()))
                .hasMessageContaining("§7.3: the leaf's encryption_key is already used by parent");
    }

    @Test
    void updateLeafRules() {
        assertThatCode(() -> validator.validateUpdateLeaf(f.updateLeaf(1), leaf(1), f.context, f.tree, Set.of()))
                .doesNotThrowAnyException();
        // Signed for another position.
        LeafNode forLeaf2 = f.sign(f.ids.get(1), f.updateLeaf(1), leaf(2));
        assertThatThrownBy(() -> validator.validateUpdateLeaf(forLeaf2, leaf(1), f.context, f.tree, Set.of()))
                .hasMessageContaining("§7.3: the signature of leaf 1 does not verify");
        // Keeping the old encryption key.
        LeafNode old = f.tree.leaf(leaf(1)).orElseThrow();
        LeafNode sameKey = f.leaf(1, LeafNodeSource.UPDATE, l -> Fixture.with(l, old.encryptionKey(),
                l.signatureKey(), l.credential(), l.capabilities(), l.extensions()));
        assertThatThrownBy(() -> validator.validateUpdateLeaf(sameKey, leaf(1), f.context, f.tree, Set.of()))
                .hasMessageContaining("§7.3: the leaf's encryption_key is already used by leaf 1");
        // Changing identity.
        LeafNode renamed = f.leaf(1, LeafNodeSource.UPDATE, l -> Fixture.with(l, l.encryptionKey(), l.signatureKey(),
                new Credential.BasicCredential(Bytes.fromHex("6576696c")), l.capabilities(), l.extensions()));
        assertThatThrownBy(() -> validator.validateUpdateLeaf(renamed, leaf(1), f.context, f.tree, Set.of()))
                .hasMessageContaining("§5.3.3: the credential validator rejects the change of identity");
        // Wrong source.
        assertThatThrownBy(() -> validator.validateUpdateLeaf(f.leaf(1, LeafNodeSource.COMMIT, l -> l), leaf(1),
                f.context, f.tree, Set.of())).hasMessageContaining("must have leaf_node_source update, not commit");
        // Not a member.
        assertThatThrownBy(() -> validator.validateUpdateLeaf(f.updateLeaf(1), leaf(7), f.context, f.tree, Set.of()))
                .hasMessageContaining("§12.1.2: leaf 7 is not a member");
    }

    @Test
    void unusableEncryptionKeysAreRejected() {
        LeafNode update = f.leaf(1, LeafNodeSource.UPDATE, l -> Fixture.with(l, Bytes.wrap(new byte[32]),
                l.signatureKey(), l.credential(), l.capabilities(), l.extensions()));
        assertThatThrownBy(() -> validator.validateUpdateLeaf(update, leaf(1), f.context, f.tree, Set.of()))
                .hasMessageContaining("§7.3: the leaf's encryption_key is not a valid HPKE public key");
        LeafNode commit = f.leaf(1, LeafNodeSource.COMMIT, l -> Fixture.with(l, Bytes.fromHex("05"),
                l.signatureKey(), l.credential(), l.capabilities(), l.extensions()));
        assertThatThrownBy(() -> validator.validateCommitLeaf(commit, leaf(1), f.context, f.tree, Optional.empty()))
                .hasMessageContaining("§7.3: the leaf's encryption_key is not a valid HPKE public key");
    }

    @Test
    void commitLeafRules() {
        assertThatCode(() -> validator.validateCommitLeaf(f.leaf(2, LeafNodeSource.COMMIT, l -> l), leaf(2), f.context,
                f.tree, Optional.empty())).doesNotThrowAnyException();
        LeafNode old = f.tree.leaf(leaf(2)).orElseThrow();
        LeafNode sameKey = f.leaf(2, LeafNodeSource.COMMIT, l -> Fixture.with(l, old.encryptionKey(),
                l.signatureKey(), l.credential(), l.capabilities(), l.extensions()));
        assertThatThrownBy(() -> validator.validateCommitLeaf(sameKey, leaf(2), f.context, f.tree, Optional.empty()))
                .hasMessageContaining("§12.4.2: the UpdatePath leaf must have a new encryption_key");
        assertThatThrownBy(() -> validator.validateCommitLeaf(f.updateLeaf(2), leaf(2), f.context, f.tree,
                Optional.empty())).hasMessageContaining("leaf_node_source commit");
    }

    @Test
    void externalCommitLeafIsCheckedAgainstTheRemovedPredecessor() {
        // A joiner at the next free leaf (3) resyncing member 1 (removed: tree without leaf 1).
        RatchetTree afterRemove = f.tree.removeLeaf(leaf(1));
        LeafNode removed = f.tree.leaf(leaf(1)).orElseThrow();
        SignatureIdentity newKey = new SignatureIdentity(removed.credential(), f.identity("m1").keyPair(), f.suite);
        LeafNode joiner = f.sign(newKey, new LeafNode(f.crypto.generateHpkeKeyPair().publicKey(),
                newKey.signaturePublicKey(), removed.credential(), removed.capabilities(), LeafNodeSource.COMMIT,
                Optional.empty(), Optional.of(Bytes.fromHex("01")), List.of(), Bytes.EMPTY), leaf(1));
        assertThatCode(() -> validator.validateCommitLeaf(joiner, leaf(1), f.context, afterRemove,
                Optional.of(removed))).doesNotThrowAnyException();
        SignatureIdentity stranger = f.identity("stranger");
        LeafNode other = f.sign(stranger, new LeafNode(f.crypto.generateHpkeKeyPair().publicKey(),
                stranger.signaturePublicKey(), stranger.credential(), removed.capabilities(), LeafNodeSource.COMMIT,
                Optional.empty(), Optional.of(Bytes.fromHex("01")), List.of(), Bytes.EMPTY), leaf(1));
        assertThatThrownBy(() -> validator.validateCommitLeaf(other, leaf(1), f.context, afterRemove,
                Optional.of(removed))).hasMessageContaining("§5.3.3");
        // The same with the joiner's leaf already placed in the tree, as a committer's pipeline may do.
        RatchetTree placed = afterRemove.addLeaf(joiner).tree();
        assertThatCode(() -> validator.validateCommitLeaf(joiner, leaf(1), f.context, placed,
                Optional.of(removed))).doesNotThrowAnyException();
        // A plain external join at a new leaf, nothing replaced.
        LeafNode atLeaf3 = f.sign(stranger, other, leaf(3));
        RatchetTree joined = f.tree.addLeaf(atLeaf3).tree();
        assertThatCode(() -> validator.validateCommitLeaf(atLeaf3, leaf(3), f.context, joined, Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void receivedTreesAreValidatedLeafByLeaf() {
        assertThatCode(() -> validator.validateTree(f.tree, f.context)).doesNotThrowAnyException();
        assertThatCode(() -> validator.validateTreeLeaf(f.tree.leaf(leaf(0)).orElseThrow(), leaf(0), f.context, f.tree))
                .doesNotThrowAnyException();
        var strict = f.contextWith(List.of(new RequiredCapabilities(List.of(0xff00), List.of(), List.of())
                .toExtension()));
        assertThatThrownBy(() -> validator.validateTree(f.tree, strict))
                .hasMessageContaining("§7.3: the leaf does not support the group's required extension type 65280");
        assertThatThrownBy(() -> validator.validateTreeExceptSignatures(f.tree, strict))
                .hasMessageContaining("§7.3: the leaf does not support the group's required extension type 65280");
        // A forged leaf signature: only the full variant notices.
        RatchetTree forged = f.tree.updateLeaf(leaf(2), f.tree.leaf(leaf(2)).orElseThrow()
                .withSignature(Bytes.fromHex("00".repeat(64))));
        assertThatThrownBy(() -> validator.validateTree(forged, f.context))
                .hasMessageContaining("§7.3: the signature of leaf 2 does not verify");
        assertThatCode(() -> validator.validateTreeExceptSignatures(forged, f.context)).doesNotThrowAnyException();
        // Lifetimes of tree leaves are not checked: a member may have joined long ago.
        LeafNodeValidator later = new LeafNodeValidator(CredentialValidator.basic(),
                Clock.fixed(Fixture.NOW.plus(Duration.ofDays(400)), ZoneOffset.UTC));
        assertThatCode(() -> later.validateTree(f.tree, f.context)).doesNotThrowAnyException();
    }

    @Test
    void keyPackageHelperLeavesAreValid() {
        KeyPackage kp = f.keyPackage("someone");
        assertThatCode(() -> validator.validateKeyPackageLeaf(kp.leafNode(), f.context, f.tree, Set.of()))
                .doesNotThrowAnyException();
    }
}
