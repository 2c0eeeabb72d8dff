package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.validation.KeyPackageValidator;
import org.mlsbridge.mls.validation.LeafNodeValidator;
import org.mlsbridge.mls.validation.ProposalListValidator;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * A view of a group without any of its secrets, as a delivery service or an external-sender bot
 * may keep (RFC 9420 §6.2 lets observers verify PublicMessages): the GroupContext, the public
 * ratchet tree and the members, followed through PublicMessage proposals and commits. It checks
 * signatures and every proposal and leaf rule, and computes the same next GroupContext as the
 * members (tree hash, confirmed transcript hash), so it can name leaves and vet a commit before
 * relaying it. It cannot check membership tags or confirmation tags, nor read PrivateMessages:
 * a commit whose confirmation tag was altered in transit (the signature does not cover it) moves
 * the view but is rejected by the members, so a view that must stay exact re-anchors from a
 * member's GroupInfo now and then.
 *
 * <p>Not thread-safe; confine to one thread like {@link MlsGroup}.
 */
public final class PublicGroupView {
    private final SuiteCrypto crypto;
    private final LeafNodeValidator leaves;
    private final ProposalListValidator rules;
    private final GroupValidation limits;
    private GroupContext context;
    private RatchetTree tree;
    private Bytes interimTranscriptHash;
    private final Map<Bytes, CachedProposal> proposals = new LinkedHashMap<>();

    private PublicGroupView(SuiteCrypto crypto, GroupConfig config, GroupContext context, RatchetTree tree,
            Bytes interim) {
        this.crypto = crypto;
        this.leaves = GroupValidation.leafValidator(config);
        this.rules = new ProposalListValidator(new KeyPackageValidator(leaves));
        this.limits = new GroupValidation(config);
        this.context = context;
        this.tree = tree;
        this.interimTranscriptHash = interim;
    }

    /** From a GroupInfo (signature and tree verified); the tree from its extension or out of band. */
    public static PublicGroupView fromGroupInfo(GroupInfo info, Optional<List<Optional<Node>>> outOfBandTree,
            GroupConfig config) throws MlsException {
        SuiteCrypto crypto = config.crypto().suite(info.groupContext().cipherSuite());
        RatchetTree tree = JoiningTree.verified(crypto, info, outOfBandTree, config);
        Bytes interim = TranscriptHashes.interimAfter(crypto, info.groupContext().confirmedTranscriptHash(),
                info.confirmationTag());
        return new PublicGroupView(crypto, config, info.groupContext(), tree, interim);
    }

    public GroupContext context() {
        return context;
    }

    public long epoch() {
        return context.epoch();
    }

    public RatchetTree tree() {
        return tree;
    }

    public List<Member> members() {
        List<Member> out = new ArrayList<>();
        tree.forEachLeaf((leaf, node) -> out.add(new Member(leaf, node.credential(), node.signatureKey())));
        return out;
    }

    /**
     * Processes a PublicMessage of the current epoch: a proposal is checked and cached
     * ({@link PublicProposal}); a commit is checked and staged ({@link PublicCommit}), to
     * {@link #merge}. Nothing changes on failure.
     */
    public PublicEvent process(MlsMessage message) throws MlsException {
        if (!(message.body() instanceof PublicMessage pm)) {
            throw new ValidationException("RFC 9420 §6: a public view reads only PublicMessages, not a "
                    + message.wireFormat());
        }
        AuthenticatedContent content = new PublicMessageProtection(crypto).unprotect(pm, context, Optional.empty(),
                new SenderKeys(context, tree));
        Sender sender = content.content().sender();
        return switch (content.content().content()) {
            case Content.ProposalContent p -> {
                rules.validateProposal(new ResolvedProposal(p.proposal(), sender, Optional.empty()), tree, context);
                Bytes ref = crypto.makeProposalRef(content.toByteArray());
                proposals.put(ref, new CachedProposal(ref, p.proposal(), sender));
                yield new PublicProposal(ref, p.proposal(), sender);
            }
            case Content.CommitContent c -> stage(content, c.commit(), sender);
            case Content.Application a -> throw new ValidationException("RFC 9420 §6: application data in a "
                    + "PublicMessage");
        };
    }

    /** Moves the view to the epoch the commit starts. */
    public void merge(PublicCommit commit) {
        if (commit.epoch() != context.epoch()) {
            throw new IllegalStateException("the commit is for epoch " + commit.epoch() + ", the view is at "
                    + context.epoch());
        }
        context = commit.context();
        tree = commit.tree();
        interimTranscriptHash = commit.interimTranscriptHash();
        proposals.clear();
    }

    private PublicCommit stage(AuthenticatedContent content, Commit commit, Sender committer) throws MlsException {
        List<ResolvedProposal> resolved = resolve(commit, committer);
        limits.checkGrowth(tree, resolved);
        rules.validate(resolved, committer, commit.path().isPresent(), tree, context);
        AppliedProposals applied = ProposalApplier.apply(context, tree, resolved);
        limits.checkTreeSize(applied.tree());
        RatchetTree next = applied.tree();
        if (commit.path().isPresent()) {
            next = mergePath(applied, committer, commit.path().get());
        } else if (committer instanceof Sender.NewMemberCommit) {
            throw new ValidationException("RFC 9420 §12.4.3.2: an external commit must carry an UpdatePath");
        }
        Bytes confirmed = TranscriptHashes.confirmedAfter(crypto, interimTranscriptHash, content);
        GroupContext nextContext = new GroupContext(context.version(), context.cipherSuite(), context.groupId(),
                context.epoch() + 1, next.treeHash(), confirmed, applied.extensions());
        Bytes tag = content.auth().confirmationTag().orElseThrow(() -> new ValidationException(
                "RFC 9420 §6.1: a commit must carry a confirmation tag"));
        return new PublicCommit(context.epoch(), committer, resolved, applied.added(), applied.removed(), nextContext,
                next, TranscriptHashes.interimAfter(crypto, confirmed, tag));
    }

    private List<ResolvedProposal> resolve(Commit commit, Sender committer) throws ValidationException {
        List<ResolvedProposal> out = new ArrayList<>();
        for (ProposalOrRef p : commit.proposals()) {
            switch (p) {
                case ProposalOrRef.ByReference r -> {
                    CachedProposal c = proposals.get(r.ref());
                    if (c == null) {
                        throw new ValidationException("RFC 9420 §12.4.2: the commit references proposal " + r.ref()
                                + ", which was not seen in this epoch");
                    }
                    out.add(new ResolvedProposal(c.proposal(), c.sender(), Optional.of(r.ref())));
                }
                case ProposalOrRef.ByValue v -> {
                    rules.validateProposal(new ResolvedProposal(v.proposal(), committer, Optional.empty()), tree,
                            context);
                    out.add(new ResolvedProposal(v.proposal(), committer, Optional.empty()));
                }
            }
        }
        return out;
    }

    /** §12.4.2: the committer's leaf (placed first for an external commit), validated, and its path merged. */
    private RatchetTree mergePath(AppliedProposals applied, Sender committer, UpdatePath path) throws MlsException {
        RatchetTree placed = applied.tree();
        LeafIndex at;
        if (committer instanceof Sender.NewMemberCommit) {
            RatchetTree.Added added = placed.addLeaf(path.leafNode());
            placed = added.tree();
            at = added.leaf();
        } else {
            at = ((Sender.Member) committer).leaf();
        }
        GroupContext effective = new GroupContext(context.version(), context.cipherSuite(), context.groupId(),
                context.epoch(), context.treeHash(), context.confirmedTranscriptHash(), applied.extensions());
        Optional<LeafNode> replaced = committer instanceof Sender.NewMemberCommit
                && !applied.removed().isEmpty() ? tree.leaf(applied.removed().get(0)) : Optional.empty();
        leaves.validateCommitLeaf(path.leafNode(), at, effective, applied.tree(), replaced);
        return TreeKem.mergePath(placed, at, path);
    }
}
