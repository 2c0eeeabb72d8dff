package org.mlsbridge.mls.group;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * The one place where the group layer asks whether peers' KeyPackages, leaves and proposal
 * lists are acceptable (RFC 9420 §7.3, §10.1, §12.2), so that the full validators of package
 * {@code validation} plug in here. Until then it runs the checks the protocol cannot work
 * without: signatures, leaf sources, cipher suite, and the proposal-list rules that protect
 * this member's own state.
 */
final class GroupValidation {
    private GroupValidation() {
    }

    /** §10.1: a KeyPackage of an Add proposal. */
    static void keyPackage(SuiteCrypto crypto, GroupContext context, KeyPackage kp) throws ValidationException {
        if (kp.cipherSuite() != context.cipherSuite() || kp.version() != context.version()) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage is for " + kp.cipherSuite() + " version "
                    + kp.version() + ", the group uses " + context.cipherSuite());
        }
        if (kp.initKey().equals(kp.leafNode().encryptionKey())) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage init_key equals its leaf's encryption_key");
        }
        boolean ok;
        try {
            ok = crypto.verifyWithLabel(kp.leafNode().signatureKey(), KeyPackage.SIGNATURE_LABEL, kp.toBeSigned(),
                    kp.signature().toByteArray());
        } catch (CryptoException e) {
            throw new ValidationException("RFC 9420 §10.1: unusable KeyPackage signature key", e);
        }
        if (!ok) {
            throw new ValidationException("RFC 9420 §10.1: KeyPackage signature does not verify");
        }
        leafNode(crypto, context, kp.leafNode(), null, LeafNodeSource.KEY_PACKAGE);
    }

    /** §7.3: a leaf arriving in an Add, Update or UpdatePath, at position {@code leaf}. */
    static void leafNode(SuiteCrypto crypto, GroupContext context, LeafNode node, LeafIndex leaf,
            LeafNodeSource expected) throws ValidationException {
        if (node.source() != expected) {
            throw new ValidationException("RFC 9420 §7.3: leaf_node_source must be " + expected + ", not "
                    + node.source());
        }
        TreeValidator.verifyLeafSignature(crypto, node, context.groupId(), leaf);
    }

    /**
     * §12.1: one proposal on its own, as received or as found in a commit: allowed for its
     * sender type (§17.4 table), and its content valid for the current state.
     */
    static void proposal(GroupState state, Proposal proposal, Sender sender) throws ValidationException {
        senderMayPropose(proposal, sender);
        switch (proposal) {
            case Proposal.Add add -> keyPackage(state.crypto(), state.context(), add.keyPackage());
            case Proposal.Update update -> {
                LeafIndex leaf = ((Sender.Member) sender).leaf();
                leafNode(state.crypto(), state.context(), update.leafNode(), leaf, LeafNodeSource.UPDATE);
            }
            case Proposal.Remove remove -> {
                if (remove.removed().flatMap(state.tree()::leaf).isEmpty()) {
                    throw new ValidationException("RFC 9420 §12.1.3: Remove of leaf " + remove.removedValue()
                            + ", which is not a member");
                }
            }
            default -> { }
        }
    }

    private static void senderMayPropose(Proposal proposal, Sender sender) throws ValidationException {
        boolean allowed = switch (sender) {
            case Sender.Member m -> !(proposal instanceof Proposal.ExternalInit);
            case Sender.External e -> !(proposal instanceof Proposal.Update || proposal instanceof Proposal.ExternalInit);
            case Sender.NewMemberProposal n -> proposal instanceof Proposal.Add;
            case Sender.NewMemberCommit n -> !(proposal instanceof Proposal.Update);
        };
        if (!allowed) {
            throw new ValidationException("RFC 9420 §12.1: a " + sender + " sender may not send proposal type "
                    + proposal.type());
        }
    }

    /** §12.4.3.1: checks of a joiner's tree beyond {@link TreeValidator#validate}. */
    static void joinTree(RatchetTree tree, GroupContext context) throws ValidationException {
        // The full per-leaf §7.3 checks (capabilities, lifetimes, credentials) belong to LeafNodeValidator.
    }

    /** §12.2: the rules of a commit's proposal list that this member's state depends on. */
    static void proposalList(GroupState state, List<ResolvedProposal> proposals, Sender committer)
            throws ValidationException {
        Set<LeafIndex> touched = new HashSet<>();
        for (ResolvedProposal rp : proposals) {
            switch (rp.proposal()) {
                case Proposal.Remove r -> {
                    LeafIndex target = r.removed().orElseThrow(() -> new ValidationException(
                            "RFC 9420 §12.2: Remove of leaf " + r.removedValue() + " outside the tree"));
                    if (committer instanceof Sender.Member m && m.leaf().equals(target)) {
                        throw new ValidationException("RFC 9420 §12.2: a commit must not remove its committer");
                    }
                    if (!touched.add(target)) {
                        throw new ValidationException("RFC 9420 §12.2: more than one Update or Remove for " + target);
                    }
                }
                case Proposal.Update u -> {
                    if (!(rp.sender() instanceof Sender.Member m)) {
                        throw new ValidationException("RFC 9420 §12.1.2: Update from a non-member");
                    }
                    if (rp.sender().equals(committer)) {
                        throw new ValidationException("RFC 9420 §12.2: a commit must not include its committer's Update");
                    }
                    if (!touched.add(m.leaf())) {
                        throw new ValidationException("RFC 9420 §12.2: more than one Update or Remove for " + m.leaf());
                    }
                }
                case Proposal.ExternalInit e -> {
                    if (!(committer instanceof Sender.NewMemberCommit)) {
                        throw new ValidationException("RFC 9420 §12.2: ExternalInit outside an external commit");
                    }
                }
                default -> { }
            }
        }
        externalCommit(proposals, committer);
    }

    /** §12.4.3.2: an external commit has exactly one ExternalInit. */
    private static void externalCommit(List<ResolvedProposal> proposals, Sender committer) throws ValidationException {
        if (!(committer instanceof Sender.NewMemberCommit)) {
            return;
        }
        long inits = proposals.stream().filter(p -> p.proposal() instanceof Proposal.ExternalInit).count();
        if (inits != 1) {
            throw new ValidationException("RFC 9420 §12.4.3.2: an external commit needs exactly one ExternalInit, has "
                    + inits);
        }
        for (ResolvedProposal p : proposals) {
            if (p.ref().isPresent()) {
                throw new ValidationException("RFC 9420 §12.4.3.2: an external commit must not reference proposals");
            }
        }
    }
}
