package org.mlsbridge.bridge.trust;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * The checks a commit or proposal must pass, beyond RFC 9420's, before a member merges it or the
 * bot follows it: the authentication service's binding of leaves to accounts and the room's
 * policy on proposal types. Members and the bot run the same code on the same inputs, so they
 * agree on which commit wins an epoch.
 */
public final class CommitRules {
    /** Whether this client can find a PSK's value (external PSKs are agreed out of band). */
    @FunctionalInterface
    public interface PskCheck {
        boolean resolvable(PreSharedKeyId psk);
    }

    /**
     * A commit as checked: who sent it, in which room event, and its effect.
     *
     * @param pathLeaf the committer's new leaf from its UpdatePath, if it has one
     * @param before the tree and context of the epoch the commit ends
     * @param eventSender the account the server says posted it
     */
    public record Commit(Sender committer, Optional<LeafNode> pathLeaf, List<ResolvedProposal> proposals,
            RatchetTree before, GroupContext context, UserId eventSender) {
    }

    private final AuthenticationService authentication;
    private final RoomPolicy policy;
    private final PskCheck psks;

    public CommitRules(AuthenticationService authentication, RoomPolicy policy, PskCheck psks) {
        this.authentication = authentication;
        this.policy = policy;
        this.psks = psks;
    }

    public void check(Commit c) throws Refusal {
        switch (c.committer()) {
            case Sender.NewMemberCommit n -> {
                LeafNode joiner = c.pathLeaf().orElseThrow(() -> new Refusal(Refusal.Rule.EXTERNAL_JOIN_REFUSED,
                        "external commit without a path"));
                Optional<LeafNode> replaced = Optional.empty();
                for (ResolvedProposal p : c.proposals()) {
                    if (p.proposal() instanceof Proposal.Remove r && r.removed().isPresent()) {
                        replaced = c.before().leaf(r.removed().get());
                    }
                }
                authentication.checkExternalJoin(c.eventSender(), joiner, replaced, policy);
            }
            case Sender.Member m -> {
                if (c.pathLeaf().isPresent()) {
                    authentication.checkReplacement(leaf(c.before(), m.leaf()), c.pathLeaf().get());
                }
            }
            default -> throw new Refusal(Refusal.Rule.PROPOSAL_NOT_ALLOWED, "a commit from " + c.committer());
        }
        for (ResolvedProposal p : c.proposals()) {
            if (p.proposal() instanceof Proposal.ExternalInit && c.committer() instanceof Sender.NewMemberCommit) {
                continue;
            }
            checkProposal(p.proposal(), p.sender(), c.before(), c.context());
        }
    }

    /** A proposal on its own (when it arrives, before it is cached) or inside a commit. */
    public void checkProposal(Proposal p, Sender sender, RatchetTree tree, GroupContext context) throws Refusal {
        ProposalKind kind = ProposalKind.of(p);
        boolean privileged = RoomBots.isBotOrOwner(sender, context, tree, policy.owners());
        boolean allowed = policy.memberProposals().contains(kind)
                || (privileged && policy.privilegedProposals().contains(kind));
        if (!allowed) {
            throw new Refusal(Refusal.Rule.PROPOSAL_NOT_ALLOWED, kind + " from " + sender + " is not allowed here");
        }
        switch (p) {
            case Proposal.Add a -> authentication.identity(a.keyPackage().leafNode().credential());
            case Proposal.Update u -> {
                if (sender instanceof Sender.Member m) {
                    authentication.checkReplacement(leaf(tree, m.leaf()), u.leafNode());
                }
            }
            case Proposal.PreSharedKey k -> {
                if (!psks.resolvable(k.psk())) {
                    throw new Refusal(Refusal.Rule.UNRESOLVABLE_PSK, "PSK " + k.psk() + " is unknown here");
                }
            }
            default -> {
                // Remove, ReInit, GroupContextExtensions: the type check above is the rule
            }
        }
    }

    private static LeafNode leaf(RatchetTree tree, LeafIndex i) throws Refusal {
        return tree.leaf(i).orElseThrow(() -> new Refusal(Refusal.Rule.INVALID_IDENTITY, "no leaf " + i));
    }
}
