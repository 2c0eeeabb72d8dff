package org.mlsbridge.mls.validation;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * LeafNode validation (RFC 9420 §7.3) for each place a leaf can come from. Stateless: the
 * credential policy and the clock are fixed at construction; the group's state comes in with
 * every call. Cryptography comes from the tree ({@link RatchetTree#crypto()}).
 *
 * <p>Leaves entering the group (KeyPackage, Update, UpdatePath) also get their encryption key
 * tried with one HPKE encapsulation; leaves of a received tree do not (that would cost one per
 * member when joining).
 *
 * <p>"Default" extension types (those of RFC 9420) count as supported without being listed in
 * capabilities, as §7.2 says; credential types must always be listed.
 */
public final class LeafNodeValidator {
    private final CredentialValidator credentials;
    /** Null when KeyPackage lifetimes are not checked. */
    private final Clock clock;

    /** Checks KeyPackage lifetimes against {@code clock}. */
    public LeafNodeValidator(CredentialValidator credentials, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private LeafNodeValidator(CredentialValidator credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = null;
    }

    /**
     * A validator that does not check KeyPackage lifetimes. RFC 9420 §7.3 only recommends the
     * check for leaves a client receives (it is a MUST for those it sends); replaying recorded
     * traffic, such as the interoperability test vectors whose KeyPackages expired in 2024, needs
     * this.
     */
    public static LeafNodeValidator ignoringLifetimes(CredentialValidator credentials) {
        return new LeafNodeValidator(credentials);
    }

    /** The default credential policy ({@link CredentialValidator#basic()}) and the system clock. */
    public static LeafNodeValidator withDefaults() {
        return new LeafNodeValidator(CredentialValidator.basic(), Clock.systemUTC());
    }

    public CredentialValidator credentials() {
        return credentials;
    }

    /** The clock lifetimes are checked against; empty when they are not checked. */
    public Optional<Clock> clock() {
        return Optional.ofNullable(clock);
    }

    /**
     * The leaf of a KeyPackage that is being added (in an Add proposal, possibly alongside other
     * proposals of the same commit).
     *
     * @param context the GroupContext the Add is evaluated under (with the extensions of a
     *     GroupContextExtensions proposal in the same commit, §12.3)
     * @param ignored leaves that do not count as members for uniqueness and credential support,
     *     e.g. those removed by the same commit
     */
    public void validateKeyPackageLeaf(LeafNode leaf, GroupContext context, RatchetTree tree, Set<LeafIndex> ignored)
            throws ValidationException {
        checkSource(leaf, LeafNodeSource.KEY_PACKAGE, "a KeyPackage");
        checkStandalone(tree.crypto(), leaf, context.groupId(), null);
        checkEncryptionKey(tree.crypto(), leaf);
        checkLifetime(leaf);
        checkCredential(leaf);
        checkGroupCompatible(leaf, context);
        checkAgainstMembers(leaf, tree, ignored, null);
    }

    /**
     * The leaf of an Update proposal sent by the member at {@code sender} (§12.1.2). The leaf is
     * signed over the group id and {@code sender}; its signature key may stay the same, its
     * encryption key must be new.
     */
    public void validateUpdateLeaf(LeafNode leaf, LeafIndex sender, GroupContext context, RatchetTree tree,
            Set<LeafIndex> ignored) throws ValidationException {
        checkSource(leaf, LeafNodeSource.UPDATE, "an Update proposal");
        checkReplacement(leaf, sender, context, tree, ignored);
    }

    /**
     * The leaf of a commit's UpdatePath (§12.4.2), at {@code committer}: for an external commit
     * the leaf the joiner takes. {@code tree} is the tree after the commit's proposals and before
     * the path is merged; for an external commit it may already hold the joiner's leaf at
     * {@code committer}. For an external resync, {@code replaced} is the removed leaf whose
     * successor this is.
     */
    public void validateCommitLeaf(LeafNode leaf, LeafIndex committer, GroupContext context, RatchetTree tree,
            Optional<LeafNode> replaced) throws ValidationException {
        checkSource(leaf, LeafNodeSource.COMMIT, "an UpdatePath");
        // The leaf itself already placed (external commit) is not a predecessor.
        Optional<LeafNode> current = tree.leaf(committer).filter(l -> !l.equals(leaf));
        Set<LeafIndex> ignored = current.isPresent() || tree.leaf(committer).isEmpty() ? Set.of() : Set.of(committer);
        if (current.isPresent() && current.get().encryptionKey().equals(leaf.encryptionKey())) {
            throw new ValidationException("RFC 9420 §12.4.2: the UpdatePath leaf must have a new encryption_key");
        }
        checkStandalone(tree.crypto(), leaf, context.groupId(), committer);
        checkEncryptionKey(tree.crypto(), leaf);
        checkCredential(leaf);
        Optional<LeafNode> predecessor = current.isPresent() ? current : replaced;
        if (predecessor.isPresent()) {
            checkSuccessor(predecessor.get(), leaf);
        }
        checkGroupCompatible(leaf, context);
        checkAgainstMembers(leaf, tree, ignored, committer);
    }

    /**
     * A leaf of a tree received when joining (§12.4.3.1) at position {@code index}: everything
     * but key uniqueness, which {@link TreeValidator#checkUniqueKeys} checks for the whole tree,
     * and the lifetime, which a member that joined long ago may have outlived legitimately.
     */
    public void validateTreeLeaf(LeafNode leaf, LeafIndex index, GroupContext context, RatchetTree tree)
            throws ValidationException {
        checkStandalone(tree.crypto(), leaf, context.groupId(), index);
        checkCredential(leaf);
        checkGroupCompatible(leaf, context);
        checkAgainstMembers(leaf, tree, Set.of(), index, false);
    }

    /** Every leaf of a received tree ({@link #validateTreeLeaf}), in one pass over the members. */
    public void validateTree(RatchetTree tree, GroupContext context) throws ValidationException {
        validateTree(tree, context, true);
    }

    /**
     * {@link #validateTree} without the leaf signatures, for a caller that already verified them
     * with {@link TreeValidator#validate} (one signature verification per member is the main cost
     * of joining a large group; no need to pay it twice).
     */
    public void validateTreeExceptSignatures(RatchetTree tree, GroupContext context) throws ValidationException {
        validateTree(tree, context, false);
    }

    private void validateTree(RatchetTree tree, GroupContext context, boolean signatures) throws ValidationException {
        Map<LeafIndex, LeafNode> leaves = new HashMap<>();
        tree.forEachLeaf(leaves::put);
        Set<Integer> inUse = new HashSet<>();
        Set<Integer> supportedByAll = null;
        for (LeafNode l : leaves.values()) {
            inUse.add(l.credential().type());
            if (supportedByAll == null) {
                supportedByAll = new HashSet<>(l.capabilities().credentials());
            } else {
                supportedByAll.retainAll(l.capabilities().credentials());
            }
        }
        if (supportedByAll == null) {
            return;
        }
        for (LeafIndex i : tree.members()) {
            LeafNode l = leaves.get(i);
            if (signatures) {
                checkStandalone(tree.crypto(), l, context.groupId(), i);
            } else {
                checkOwnCapabilities(l);
            }
            checkCredential(l);
            checkGroupCompatible(l, context);
            if (!supportedByAll.contains(l.credential().type())) {
                throw new ValidationException("RFC 9420 §7.3: the credential type " + l.credential().type() + " of " + i
                        + " is not supported by every member");
            }
            if (!l.capabilities().credentials().containsAll(inUse)) {
                throw new ValidationException("RFC 9420 §7.3: " + i
                        + " does not support every credential type in use in the group " + inUse);
            }
        }
    }

    // ---- the individual checks -----------------------------------------------------------------

    private void checkReplacement(LeafNode leaf, LeafIndex sender, GroupContext context, RatchetTree tree,
            Set<LeafIndex> ignored) throws ValidationException {
        LeafNode current = tree.leaf(sender).orElseThrow(() -> new ValidationException(
                "RFC 9420 §12.1.2: " + sender + " is not a member"));
        checkStandalone(tree.crypto(), leaf, context.groupId(), sender);
        checkEncryptionKey(tree.crypto(), leaf);
        checkCredential(leaf);
        checkSuccessor(current, leaf);
        checkGroupCompatible(leaf, context);
        checkAgainstMembers(leaf, tree, ignored, sender);
    }

    private static void checkSource(LeafNode leaf, LeafNodeSource expected, String where) throws ValidationException {
        if (leaf.source() != expected) {
            throw new ValidationException("RFC 9420 §7.3: a leaf in " + where + " must have leaf_node_source "
                    + expected.name().toLowerCase(java.util.Locale.ROOT) + ", not "
                    + leaf.source().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The checks that need no group: signature, own credential type and extensions listed in
     * the leaf's capabilities. {@code index} is required for update and commit leaves.
     */
    static void checkStandalone(SuiteCrypto crypto, LeafNode leaf, Bytes groupId, LeafIndex index)
            throws ValidationException {
        // Capabilities first: cheap, and a leaf that fails them needs no signature check.
        checkOwnCapabilities(leaf);
        if (leaf.source() != LeafNodeSource.KEY_PACKAGE && index == null) {
            throw new IllegalArgumentException("a " + leaf.source() + " leaf needs its leaf index");
        }
        TreeValidator.verifyLeafSignature(crypto, leaf, groupId, index);
    }

    /** The leaf's encryption key must be usable (§10: "valid for the ciphersuite"). */
    static void checkEncryptionKey(SuiteCrypto crypto, LeafNode leaf) throws ValidationException {
        Capability.checkHpkePublicKey(crypto, leaf.encryptionKey(), "RFC 9420 §7.3: the leaf's encryption_key");
    }

    static void checkOwnCapabilities(LeafNode leaf) throws ValidationException {
        Capabilities caps = leaf.capabilities();
        if (!caps.credentials().contains(leaf.credential().type())) {
            throw new ValidationException("RFC 9420 §7.2: the leaf's capabilities do not list its own credential type "
                    + leaf.credential().type());
        }
        Capability.checkNoDuplicates(leaf.extensions(), "the leaf's extensions");
        for (Extension e : leaf.extensions()) {
            if (!Capability.supportsExtension(caps, e.type())) {
                throw new ValidationException("RFC 9420 §7.3: the leaf carries extension type " + e.type()
                        + " that its capabilities do not list");
            }
        }
    }

    private void checkLifetime(LeafNode leaf) throws ValidationException {
        if (clock != null) {
            checkLifetime(leaf, clock);
        }
    }

    /** §7.3: a KeyPackage leaf's lifetime covers the time of {@code clock}. */
    public static void checkLifetime(LeafNode leaf, Clock clock) throws ValidationException {
        Lifetime lifetime = leaf.lifetime().orElseThrow(() -> new IllegalArgumentException(
                "only KeyPackage leaves have a lifetime"));
        long now = clock.instant().getEpochSecond();
        if (Long.compareUnsigned(now, lifetime.notBefore()) < 0) {
            throw new ValidationException(FailureReason.POLICY, "RFC 9420 §7.3: the leaf's lifetime has not begun "
                    + "(not_before " + Long.toUnsignedString(lifetime.notBefore()) + ", now " + now + ")");
        }
        if (Long.compareUnsigned(now, lifetime.notAfter()) > 0) {
            throw new ValidationException(FailureReason.POLICY, "RFC 9420 §7.3: the leaf's lifetime has expired "
                    + "(not_after " + Long.toUnsignedString(lifetime.notAfter()) + ", now " + now + ")");
        }
    }

    private void checkCredential(LeafNode leaf) throws ValidationException {
        if (!credentials.acceptsMember(leaf.credential(), leaf.signatureKey())) {
            throw new ValidationException(FailureReason.POLICY,
                    "RFC 9420 §5.3.1: the credential validator rejects the leaf's credential "
                    + describe(leaf));
        }
    }

    private void checkSuccessor(LeafNode current, LeafNode next) throws ValidationException {
        if (!credentials.acceptsSuccessor(current.credential(), next.credential())) {
            throw new ValidationException(FailureReason.POLICY,
                    "RFC 9420 §5.3.3: the credential validator rejects the change of identity from "
                    + describe(current) + " to " + describe(next));
        }
    }

    /**
     * The group's required_capabilities (§7.3). Whether the leaf lists the group's version and
     * cipher suite is not checked here: §7.3 and §10.1 have no such rule for a received leaf,
     * and other implementations make groups whose leaves omit them. §11 puts that duty on the
     * member that creates a group or adds members: {@link JoinerSupport}.
     */
    static void checkGroupCompatible(LeafNode leaf, GroupContext context) throws ValidationException {
        Capabilities caps = leaf.capabilities();
        Optional<RequiredCapabilities> required = Capability.required(context.extensions());
        if (required.isPresent()) {
            Optional<String> missing = Capability.missing(caps, required.get());
            if (missing.isPresent()) {
                throw new ValidationException("RFC 9420 §7.3: the leaf does not support the group's required "
                        + missing.get());
            }
        }
    }

    private static void checkAgainstMembers(LeafNode leaf, RatchetTree tree, Set<LeafIndex> ignored,
            LeafIndex replacing) throws ValidationException {
        checkAgainstMembers(leaf, tree, ignored, replacing, true);
    }

    /**
     * Mutual credential-type support with the other members (§7.3) and, when {@code unique},
     * uniqueness of the encryption key among all tree nodes and of the signature key among the
     * other members. {@code replacing} is the leaf this one takes the place of (its old keys and
     * credential do not count, except that the old encryption key must not come back).
     */
    private static void checkAgainstMembers(LeafNode leaf, RatchetTree tree, Set<LeafIndex> ignored,
            LeafIndex replacing, boolean unique) throws ValidationException {
        if (clearlyCompatible(leaf, tree, ignored, replacing, unique)) {
            return;
        }
        int ownType = leaf.credential().type();
        List<Integer> ownSupport = leaf.capabilities().credentials();
        String[] problem = new String[1];
        tree.forEachLeaf((i, other) -> {
            if (problem[0] != null || ignored.contains(i)) {
                return;
            }
            if (unique && other.encryptionKey().equals(leaf.encryptionKey())) {
                problem[0] = "RFC 9420 §7.3: the leaf's encryption_key is already used by " + i;
                return;
            }
            if (i.equals(replacing)) {
                return;
            }
            if (unique && other.signatureKey().equals(leaf.signatureKey())) {
                problem[0] = "RFC 9420 §7.3: the leaf's signature_key is already used by " + i;
            } else if (!other.capabilities().credentials().contains(ownType)) {
                problem[0] = "RFC 9420 §7.3: the leaf's credential type " + ownType + " is not supported by " + i;
            } else if (!ownSupport.contains(other.credential().type())) {
                problem[0] = "RFC 9420 §7.3: the leaf does not support the credential type "
                        + other.credential().type() + " of " + i;
            }
        });
        if (problem[0] == null && unique) {
            tree.forEachNode((x, node) -> {
                if (problem[0] == null && !x.isLeaf() && tree.encryptionKey(x).equals(leaf.encryptionKey())) {
                    problem[0] = "RFC 9420 §7.3: the leaf's encryption_key is already used by parent " + x;
                }
            });
        }
        if (problem[0] != null) {
            throw new ValidationException(problem[0]);
        }
    }

    /**
     * The outcome of the pass below when it finds nothing, from the tree's key indexes and
     * credential counts instead: O(log n) per lookup plus O(excluded leaves), where the pass is
     * O(n) for every Add, Update and commit leaf. False means "maybe not": the pass then runs and
     * names the first offending member, exactly as before.
     */
    private static boolean clearlyCompatible(LeafNode leaf, RatchetTree tree, Set<LeafIndex> ignored,
            LeafIndex replacing, boolean unique) {
        if (unique) {
            for (NodeIndex x : tree.nodesWithEncryptionKey(leaf.encryptionKey())) {
                if (!x.isLeaf() || !ignored.contains(LeafIndex.of(x.value() >>> 1))) {
                    return false;
                }
            }
            for (LeafIndex l : tree.leavesWithSignatureKey(leaf.signatureKey())) {
                if (!ignored.contains(l) && !l.equals(replacing)) {
                    return false;
                }
            }
        }
        Set<LeafIndex> excluded = new HashSet<>();
        for (LeafIndex l : ignored) {
            if (tree.leaf(l).isPresent()) {
                excluded.add(l);
            }
        }
        if (replacing != null && tree.leaf(replacing).isPresent()) {
            excluded.add(replacing);
        }
        int ownType = leaf.credential().type();
        int others = tree.memberCount() - excluded.size();
        int supportingOwn = tree.membersSupportingCredentialType(ownType);
        for (LeafIndex l : excluded) {
            if (new HashSet<>(tree.leaf(l).orElseThrow().capabilities().credentials()).contains(ownType)) {
                supportingOwn--;
            }
        }
        if (supportingOwn != others) {
            return false;
        }
        List<Integer> ownSupport = leaf.capabilities().credentials();
        for (int type : tree.credentialTypesInUse()) {
            if (ownSupport.contains(type)) {
                continue;
            }
            int users = tree.membersWithCredentialType(type);
            for (LeafIndex l : excluded) {
                if (tree.leaf(l).orElseThrow().credential().type() == type) {
                    users--;
                }
            }
            if (users > 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(LeafNode leaf) {
        return leaf.credential().toString();
    }
}
