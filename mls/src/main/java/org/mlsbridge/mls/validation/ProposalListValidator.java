package org.mlsbridge.mls.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.message.ResumptionPskUsage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * Validation of the proposals a commit covers: the list rules of RFC 9420 §12.2 (regular and
 * external commits), the per-proposal rules of §12.1, which sender types may send which
 * proposals (§12.1.8, the "External" column of the proposal type registry, §17.4), and whether
 * the commit needs a path (§12.4). Stateless; throws a {@link ValidationException} naming the
 * section and the rule at the first violation.
 *
 * <p>The tree and context are those of the current epoch, before any proposal is applied.
 * Checks of the commit's UpdatePath leaf, which need the tree after the proposals, are
 * {@link LeafNodeValidator#validateCommitLeaf}'s; for an external commit with a Remove (a
 * resync), pass it the removed leaf, so that the new leaf must be an acceptable successor of the
 * removed one (§12.2).
 */
public final class ProposalListValidator {
    private final KeyPackageValidator keyPackages;

    public ProposalListValidator(KeyPackageValidator keyPackages) {
        this.keyPackages = Objects.requireNonNull(keyPackages, "keyPackages");
    }

    public static ProposalListValidator withDefaults() {
        return new ProposalListValidator(KeyPackageValidator.withDefaults());
    }

    private LeafNodeValidator leaves() {
        return keyPackages.leaves();
    }

    // ---- path (§12.4) ----------------------------------------------------------------------------

    /**
     * Whether a proposal type requires the commit to have a path (§12.4): update, remove,
     * external_init and group_context_extensions do; add, psk and reinit do not. Proposal types
     * this library does not know are treated as requiring one, the safe choice.
     */
    public static boolean isPathRequiredType(int proposalType) {
        return switch (proposalType) {
            case Proposal.ADD, Proposal.PSK, Proposal.REINIT -> false;
            default -> true;
        };
    }

    /** Whether a commit covering exactly these proposals must have a path: empty, or any path-required type. */
    public static boolean pathRequired(List<Proposal> proposals) {
        return proposals.isEmpty() || proposals.stream().anyMatch(p -> isPathRequiredType(p.type()));
    }

    // ---- whole lists ---------------------------------------------------------------------------

    /**
     * Validates the proposal list of a commit.
     *
     * @param proposals the covered proposals in commit order, with their senders
     * @param committer the commit's sender: a member, or new_member_commit for an external commit
     * @param hasPath whether the commit carries an UpdatePath
     */
    public void validate(List<ResolvedProposal> proposals, Sender committer, boolean hasPath, RatchetTree tree,
            GroupContext context) throws ValidationException {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(context, "context");
        switch (committer) {
            case Sender.Member m -> {
                if (tree.leaf(m.leaf()).isEmpty()) {
                    throw new ValidationException("RFC 9420 §12.4: the committer " + m.leaf() + " is not a member");
                }
                validateRegular(proposals, m.leaf(), tree, context);
            }
            case Sender.NewMemberCommit n -> validateExternal(proposals, tree, context, hasPath);
            case Sender.External e -> throw new ValidationException(
                    "RFC 9420 §12.4: an external sender may propose but not commit");
            case Sender.NewMemberProposal n -> throw new ValidationException(
                    "RFC 9420 §12.4: a new_member_proposal sender may propose but not commit");
        }
        if (!hasPath && pathRequired(proposals.stream().map(ResolvedProposal::proposal).toList())) {
            throw new ValidationException("RFC 9420 §12.4: the commit must have a path: "
                    + (proposals.isEmpty() ? "it covers no proposals"
                            : "it covers a proposal of a path-required type (update, remove, external_init, "
                                    + "group_context_extensions)"));
        }
    }

    /**
     * The checks a single proposal must pass on its own when it is received (§12.1): whether its
     * sender may send it and whether it is valid against the current epoch. The list rules of
     * §12.2 come later, when a commit covers it.
     */
    public void validateProposal(ResolvedProposal proposal, RatchetTree tree, GroupContext context)
            throws ValidationException {
        checkSenderAllowed(proposal, tree, context);
        Set<LeafIndex> none = Set.of();
        switch (proposal.proposal()) {
            case Proposal.Add a -> keyPackages.validate(a.keyPackage(), context, tree, none);
            case Proposal.Update u -> leaves().validateUpdateLeaf(u.leafNode(),
                    ((Sender.Member) proposal.sender()).leaf(), context, tree, none);
            case Proposal.Remove r -> checkRemoveTarget(r, tree);
            case Proposal.PreSharedKey p -> checkPsk(p.psk(), tree.crypto());
            case Proposal.ReInit r -> checkReInit(r, context);
            case Proposal.ExternalInit e -> { }
            case Proposal.GroupContextExtensions g -> checkGroupContextExtensions(g, memberCapabilities(tree,
                    Set.of(), Map.of(), List.of()));
            case Proposal.CustomProposal c -> checkCustomSupported(c.type(), memberCapabilities(tree, Set.of(),
                    Map.of(), List.of()));
        }
    }

    private void validateRegular(List<ResolvedProposal> proposals, LeafIndex committer, RatchetTree tree,
            GroupContext context) throws ValidationException {
        Map<LeafIndex, String> touched = new HashMap<>();
        Set<LeafIndex> removed = new HashSet<>();
        Map<LeafIndex, LeafNode> updated = new LinkedHashMap<>();
        List<KeyPackage> adds = new ArrayList<>();
        Set<PreSharedKeyId> psks = new HashSet<>();
        List<Proposal.CustomProposal> customs = new ArrayList<>();
        Proposal.GroupContextExtensions gce = null;
        boolean reinit = false;

        for (ResolvedProposal rp : proposals) {
            checkSenderAllowed(rp, tree, context);
            switch (rp.proposal()) {
                case Proposal.Add a -> adds.add(a.keyPackage());
                case Proposal.Update u -> {
                    LeafIndex sender = ((Sender.Member) rp.sender()).leaf();
                    if (sender.equals(committer)) {
                        throw new ValidationException("RFC 9420 §12.2: the commit must not cover an Update from "
                                + "the committer (" + committer + ")");
                    }
                    touch(touched, sender, "Update");
                    updated.put(sender, u.leafNode());
                }
                case Proposal.Remove r -> {
                    LeafIndex target = checkRemoveTarget(r, tree);
                    if (target.equals(committer)) {
                        throw new ValidationException("RFC 9420 §12.2: the commit must not remove the committer ("
                                + committer + ")");
                    }
                    touch(touched, target, "Remove");
                    removed.add(target);
                }
                case Proposal.PreSharedKey p -> {
                    checkPsk(p.psk(), tree.crypto());
                    if (!psks.add(p.psk())) {
                        throw new ValidationException("RFC 9420 §12.2: two PreSharedKey proposals reference the same "
                                + "PreSharedKeyID");
                    }
                }
                case Proposal.ReInit r -> {
                    checkReInit(r, context);
                    reinit = true;
                }
                case Proposal.ExternalInit e -> throw new ValidationException(
                        "RFC 9420 §12.2: ExternalInit is only allowed in an external commit");
                case Proposal.GroupContextExtensions g -> {
                    if (gce != null) {
                        throw new ValidationException("RFC 9420 §12.2: more than one GroupContextExtensions proposal");
                    }
                    gce = g;
                }
                case Proposal.CustomProposal c -> customs.add(c);
            }
        }
        if (reinit && proposals.size() > 1) {
            throw new ValidationException("RFC 9420 §12.2: a ReInit proposal must be the only proposal of its commit");
        }
        checkAddsAreNewClients(adds, tree, removed);
        checkNewKeysDistinct(updated, adds);

        // §12.3: the new extensions apply to the rest of the list.
        GroupContext effective = gce == null ? context
                : new GroupContext(context.version(), context.cipherSuite(), context.groupId(), context.epoch(),
                        context.treeHash(), context.confirmedTranscriptHash(), gce.extensions());
        if (gce != null || !customs.isEmpty()) {
            Map<String, Capabilities> afterCommit = memberCapabilities(tree, removed, updated, adds);
            if (gce != null) {
                checkGroupContextExtensions(gce, afterCommit);
            }
            // Members added by this commit need not support the custom proposals it applies (§12.2).
            Map<String, Capabilities> staying = memberCapabilities(tree, removed, updated, List.of());
            for (Proposal.CustomProposal c : customs) {
                checkCustomSupported(c.type(), staying);
            }
        }
        for (Map.Entry<LeafIndex, LeafNode> u : updated.entrySet()) {
            leaves().validateUpdateLeaf(u.getValue(), u.getKey(), effective, tree, removed);
        }
        validateKeyPackages(adds, effective, tree, removed);
    }

    /** From this many Adds on, their KeyPackages are checked on every core. */
    private static final int PARALLEL_FROM = 64;

    /**
     * §10.1 for each Add. Each KeyPackage costs two signature checks and two HPKE key checks, and
     * the checks are independent (the CredentialValidator is stateless or thread-safe by
     * contract), so a commit adding many members uses every core. Whatever the scheduling, the
     * first failing Add in list order is reported.
     */
    private void validateKeyPackages(List<KeyPackage> adds, GroupContext context, RatchetTree tree,
            Set<LeafIndex> removed) throws ValidationException {
        if (adds.size() < PARALLEL_FROM) {
            for (KeyPackage kp : adds) {
                keyPackages.validate(kp, context, tree, removed);
            }
            return;
        }
        java.util.OptionalInt bad = java.util.stream.IntStream.range(0, adds.size()).parallel()
                .filter(i -> !accepts(adds.get(i), context, tree, removed)).min();
        if (bad.isPresent()) {
            keyPackages.validate(adds.get(bad.getAsInt()), context, tree, removed);
            throw new IllegalStateException("KeyPackage of Add #" + bad.getAsInt() + " passed on the second try");
        }
    }

    private boolean accepts(KeyPackage kp, GroupContext context, RatchetTree tree, Set<LeafIndex> removed) {
        try {
            keyPackages.validate(kp, context, tree, removed);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    private void validateExternal(List<ResolvedProposal> proposals, RatchetTree tree, GroupContext context,
            boolean hasPath) throws ValidationException {
        if (!hasPath) {
            throw new ValidationException("RFC 9420 §12.4.3.2: an external commit must have a path");
        }
        int externalInits = 0;
        int removes = 0;
        Set<PreSharedKeyId> psks = new HashSet<>();
        for (ResolvedProposal rp : proposals) {
            if (rp.byReference()) {
                throw new ValidationException("RFC 9420 §12.4.3.2: an external commit must not cover proposals by "
                        + "reference");
            }
            switch (rp.proposal()) {
                case Proposal.ExternalInit e -> externalInits++;
                case Proposal.Remove r -> {
                    checkRemoveTarget(r, tree);
                    if (++removes > 1) {
                        throw new ValidationException("RFC 9420 §12.2: an external commit may contain at most one "
                                + "Remove");
                    }
                }
                case Proposal.PreSharedKey p -> {
                    checkPsk(p.psk(), tree.crypto());
                    if (!psks.add(p.psk())) {
                        throw new ValidationException("RFC 9420 §12.2: two PreSharedKey proposals reference the same "
                                + "PreSharedKeyID");
                    }
                }
                default -> throw new ValidationException("RFC 9420 §12.2: an external commit may contain only "
                        + "ExternalInit, Remove and PreSharedKey proposals, not proposal type " + rp.proposal().type());
            }
        }
        if (externalInits != 1) {
            throw new ValidationException("RFC 9420 §12.2: an external commit must contain exactly one ExternalInit, "
                    + "not " + externalInits);
        }
    }

    // ---- single rules -----------------------------------------------------------------------------

    /**
     * Which sender types may send which proposals: members anything but ExternalInit; external
     * senders Add, Remove, PreSharedKey, ReInit and GroupContextExtensions (§12.1.8, §17.4);
     * new_member_proposal only Add (§12.1.8); new_member_commit only in its own external commit.
     */
    private static void checkSenderAllowed(ResolvedProposal rp, RatchetTree tree, GroupContext context)
            throws ValidationException {
        int type = rp.proposal().type();
        switch (rp.sender()) {
            case Sender.Member m -> {
                if (tree.leaf(m.leaf()).isEmpty()) {
                    throw new ValidationException(FailureReason.UNKNOWN_SENDER,
                            "RFC 9420 §12.1: the proposal's sender " + m.leaf()
                            + " is not a member");
                }
                if (type == Proposal.EXTERNAL_INIT) {
                    throw new ValidationException("RFC 9420 §12.1.6: a member may not send an ExternalInit proposal");
                }
            }
            case Sender.External e -> {
                List<ExternalSender> senders = externalSenders(context);
                if (e.senderIndex() >= senders.size()) {
                    throw new ValidationException(FailureReason.UNKNOWN_SENDER,
                            "RFC 9420 §12.1.8.1: external sender index " + e.senderIndex()
                            + " is not in the group's external_senders (" + senders.size() + " entries)");
                }
                switch (type) {
                    case Proposal.ADD, Proposal.REMOVE, Proposal.PSK, Proposal.REINIT,
                            Proposal.GROUP_CONTEXT_EXTENSIONS -> { }
                    default -> throw new ValidationException("RFC 9420 §12.1.8: an external sender may not send "
                            + "proposal type " + type);
                }
            }
            case Sender.NewMemberProposal n -> {
                if (type != Proposal.ADD) {
                    throw new ValidationException("RFC 9420 §12.1.8: a new_member_proposal sender may only send an "
                            + "Add, not proposal type " + type);
                }
            }
            case Sender.NewMemberCommit n -> {
                if (rp.byReference()) {
                    throw new ValidationException("RFC 9420 §12.4.3.2: a new_member_commit sender cannot have sent a "
                            + "proposal by reference");
                }
                if (type == Proposal.UPDATE || type == Proposal.ADD) {
                    throw new ValidationException("RFC 9420 §12.2: proposal type " + type
                            + " is not allowed in an external commit");
                }
            }
        }
        if (type == Proposal.UPDATE && !(rp.sender() instanceof Sender.Member)) {
            throw new ValidationException("RFC 9420 §12.1.2: an Update must come from a member");
        }
    }

    private static List<ExternalSender> externalSenders(GroupContext context) throws ValidationException {
        Optional<Extension> ext = Extensions.find(context.extensions(), Extension.EXTERNAL_SENDERS);
        if (ext.isEmpty()) {
            return List.of();
        }
        try {
            return ExternalSender.fromExtension(ext.get());
        } catch (DecodeException e) {
            throw new ValidationException("RFC 9420 §12.1.8.1: malformed external_senders extension", e);
        }
    }

    private static void touch(Map<LeafIndex, String> touched, LeafIndex leaf, String what) throws ValidationException {
        String earlier = touched.putIfAbsent(leaf, what);
        if (earlier != null) {
            throw new ValidationException("RFC 9420 §12.2: more than one Update or Remove applies to " + leaf + " ("
                    + earlier + " and " + what + ")");
        }
    }

    /** §12.1.3: the removed leaf must be a non-blank leaf of the tree. */
    private static LeafIndex checkRemoveTarget(Proposal.Remove r, RatchetTree tree) throws ValidationException {
        Optional<LeafIndex> target = r.removed();
        if (target.isEmpty() || tree.leaf(target.get()).isEmpty()) {
            throw new ValidationException("RFC 9420 §12.1.3: Remove of leaf " + r.removedValue()
                    + ", which is not a member");
        }
        return target.get();
    }

    /** §12.1.4: no reinit/branch resumption PSKs, and a psk_nonce of Nh bytes. */
    private static void checkPsk(PreSharedKeyId psk, SuiteCrypto crypto) throws ValidationException {
        if (psk instanceof PreSharedKeyId.ResumptionPsk r && r.usage() != ResumptionPskUsage.APPLICATION) {
            throw new ValidationException("RFC 9420 §12.1.4: a PreSharedKey proposal must not use a resumption PSK "
                    + "with usage " + r.usage().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (psk.pskNonce().length() != crypto.hashLength()) {
            throw new ValidationException("RFC 9420 §12.1.4: psk_nonce has " + psk.pskNonce().length()
                    + " bytes, must have KDF.Nh = " + crypto.hashLength());
        }
    }

    /** §12.1.5: no downgrade of the protocol version. */
    private static void checkReInit(Proposal.ReInit r, GroupContext context) throws ValidationException {
        if (r.version() < context.version()) {
            throw new ValidationException("RFC 9420 §12.1.5: ReInit to version " + r.version()
                    + ", below the group's " + context.version());
        }
        Capability.checkNoDuplicates(r.extensions(), "the ReInit proposal's extensions");
    }

    /** §12.2: neither twice the same client among the Adds nor a client already in the group (by signature key). */
    private static void checkAddsAreNewClients(List<KeyPackage> adds, RatchetTree tree, Set<LeafIndex> removed)
            throws ValidationException {
        Set<Bytes> seen = new HashSet<>();
        for (KeyPackage kp : adds) {
            Bytes key = kp.leafNode().signatureKey();
            // The tree's signature-key index: O(log n) per Add rather than a map of every member.
            LeafIndex existing = null;
            for (LeafIndex l : tree.leavesWithSignatureKey(key)) {
                if (!removed.contains(l)) {
                    existing = l;
                }
            }
            if (existing != null) {
                throw new ValidationException("RFC 9420 §12.2: an Add proposal adds a client already in the group "
                        + "(same signature key as " + existing + ")");
            }
            if (!seen.add(key)) {
                throw new ValidationException("RFC 9420 §12.2: two Add proposals add the same client (same "
                        + "signature key)");
            }
        }
    }

    /** §7.3 across proposals: the leaves a commit brings in must not share keys with each other. */
    private static void checkNewKeysDistinct(Map<LeafIndex, LeafNode> updated, List<KeyPackage> adds)
            throws ValidationException {
        List<LeafNode> incoming = new ArrayList<>(updated.values());
        adds.forEach(kp -> incoming.add(kp.leafNode()));
        Set<Bytes> encryption = new HashSet<>();
        Set<Bytes> signature = new HashSet<>();
        for (LeafNode l : incoming) {
            if (!encryption.add(l.encryptionKey())) {
                throw new ValidationException("RFC 9420 §7.3: two proposals of the commit bring the same encryption_key");
            }
            if (!signature.add(l.signatureKey())) {
                throw new ValidationException("RFC 9420 §7.3: two proposals of the commit bring the same signature_key");
            }
        }
    }

    /**
     * §12.1.7: with a required_capabilities extension every member after the commit (added ones
     * included, removed ones excluded) must support it; every non-default extension type must be
     * supported by them too (§13.4); external senders must be acceptable (§12.1.8.1).
     */
    private void checkGroupContextExtensions(Proposal.GroupContextExtensions gce, Map<String, Capabilities> members)
            throws ValidationException {
        Capability.checkNoDuplicates(gce.extensions(), "the GroupContextExtensions proposal");
        Optional<RequiredCapabilities> required = Capability.required(gce.extensions());
        for (Map.Entry<String, Capabilities> m : members.entrySet()) {
            if (required.isPresent()) {
                Optional<String> missing = Capability.missing(m.getValue(), required.get());
                if (missing.isPresent()) {
                    throw new ValidationException("RFC 9420 §12.1.7: the new required_capabilities require "
                            + missing.get() + ", which " + m.getKey() + " does not support");
                }
            }
            for (Extension e : gce.extensions()) {
                if (!Capability.supportsExtension(m.getValue(), e.type())) {
                    throw new ValidationException("RFC 9420 §13.4: GroupContext extension type " + e.type()
                            + " is not supported by " + m.getKey());
                }
            }
        }
        Optional<Extension> senders = Extensions.find(gce.extensions(), Extension.EXTERNAL_SENDERS);
        if (senders.isPresent()) {
            List<ExternalSender> list;
            try {
                list = ExternalSender.fromExtension(senders.get());
            } catch (DecodeException e) {
                throw new ValidationException("RFC 9420 §12.1.8.1: malformed external_senders extension", e);
            }
            for (ExternalSender s : list) {
                if (!leaves().credentials().acceptsExternalSender(s.credential(), s.signatureKey())) {
                    throw new ValidationException(FailureReason.POLICY,
                            "RFC 9420 §12.1.8.1: the credential validator rejects external "
                            + "sender " + s.credential());
                }
            }
        }
    }

    /** §12.2: a non-default proposal type must be supported by every member that processes the commit. */
    private static void checkCustomSupported(int type, Map<String, Capabilities> members)
            throws ValidationException {
        for (Map.Entry<String, Capabilities> m : members.entrySet()) {
            if (!Capability.supportsProposal(m.getValue(), type)) {
                throw new ValidationException("RFC 9420 §12.2: proposal type " + type + " is not supported by "
                        + m.getKey());
            }
        }
    }

    /**
     * Capabilities of the members after a commit: current leaves minus {@code removed}, updated
     * leaves with their new capabilities, and the leaves of {@code adds}; keyed by a description
     * for error messages.
     */
    private static Map<String, Capabilities> memberCapabilities(RatchetTree tree, Set<LeafIndex> removed,
            Map<LeafIndex, LeafNode> updated, List<KeyPackage> adds) {
        Map<String, Capabilities> out = new LinkedHashMap<>();
        tree.forEachLeaf((i, l) -> {
            if (!removed.contains(i)) {
                out.put(i.toString(), updated.getOrDefault(i, l).capabilities());
            }
        });
        int n = 0;
        for (KeyPackage kp : adds) {
            out.put("the KeyPackage of Add #" + (++n) + " (" + kp.leafNode().credential() + ")",
                    kp.leafNode().capabilities());
        }
        return out;
    }
}
