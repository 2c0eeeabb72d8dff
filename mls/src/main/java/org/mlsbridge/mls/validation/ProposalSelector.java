package org.mlsbridge.mls.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * The committer's side of §12.2: from the proposals pending in an epoch, picks a list that a
 * commit may cover, following the RFC's preferences (a Remove beats Updates of the same leaf,
 * the most recent Update wins, ReInit waits while there are other proposals), and says why each
 * other proposal was left out. Stateless. The selected list passes {@link ProposalListValidator}
 * for a commit with a path.
 */
public final class ProposalSelector {
    private final ProposalListValidator validator;

    public ProposalSelector(ProposalListValidator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /** A proposal not selected, and why. */
    public record Omitted(ResolvedProposal proposal, String reason) {
    }

    /** The proposals to commit, in their original order, and those left out. */
    public record Selection(List<ResolvedProposal> selected, List<Omitted> omitted) {
        public Selection {
            selected = List.copyOf(selected);
            omitted = List.copyOf(omitted);
        }
    }

    /**
     * @param pending the proposals received (or made) this epoch, oldest first, with their senders
     * @param committer the member about to commit
     */
    public Selection select(List<ResolvedProposal> pending, Sender.Member committer, RatchetTree tree,
            GroupContext context) {
        List<Omitted> omitted = new ArrayList<>();
        List<ResolvedProposal> candidates = new ArrayList<>();
        for (ResolvedProposal rp : pending) {
            String reason = individualProblem(rp, committer, tree, context);
            if (reason == null) {
                candidates.add(rp);
            } else {
                omitted.add(new Omitted(rp, reason));
            }
        }
        candidates = preferRemovesAndLatestUpdates(candidates, omitted);
        candidates = dropDuplicates(candidates, omitted, tree);
        candidates = deferReInit(candidates, omitted);

        try {
            validator.validate(candidates, committer, true, tree, context);
            return new Selection(candidates, omitted);
        } catch (ValidationException e) {
            // A rule between proposals (e.g. new required_capabilities against an Add): grow the
            // list one proposal at a time and leave out those that break it.
            List<ResolvedProposal> kept = new ArrayList<>();
            for (ResolvedProposal rp : candidates) {
                kept.add(rp);
                try {
                    validator.validate(kept, committer, true, tree, context);
                } catch (ValidationException broken) {
                    kept.remove(kept.size() - 1);
                    omitted.add(new Omitted(rp, broken.getMessage()));
                }
            }
            return new Selection(kept, omitted);
        }
    }

    private String individualProblem(ResolvedProposal rp, Sender.Member committer, RatchetTree tree,
            GroupContext context) {
        Proposal p = rp.proposal();
        if (p instanceof Proposal.ExternalInit) {
            return "RFC 9420 §12.2: ExternalInit is only allowed in an external commit";
        }
        if (p instanceof Proposal.Update && rp.sender().equals(committer)) {
            return "RFC 9420 §12.2: the committer's own Update is superseded by its commit's path";
        }
        if (p instanceof Proposal.Remove r && r.removed().filter(committer.leaf()::equals).isPresent()) {
            return "RFC 9420 §12.2: a commit must not remove the committer";
        }
        try {
            validator.validateProposal(rp, tree, context);
            return null;
        } catch (ValidationException e) {
            return e.getMessage();
        }
    }

    /** §12.2: per leaf, the first Remove if any, else the most recent Update. */
    private static List<ResolvedProposal> preferRemovesAndLatestUpdates(List<ResolvedProposal> in,
            List<Omitted> omitted) {
        Map<LeafIndex, ResolvedProposal> winner = new HashMap<>();
        for (ResolvedProposal rp : in) {
            LeafIndex target = target(rp);
            if (target == null) {
                continue;
            }
            ResolvedProposal current = winner.get(target);
            boolean isRemove = rp.proposal() instanceof Proposal.Remove;
            if (current == null || (!(current.proposal() instanceof Proposal.Remove) && (isRemove
                    || rp.proposal() instanceof Proposal.Update))) {
                winner.put(target, rp);
            }
        }
        List<ResolvedProposal> out = new ArrayList<>();
        for (ResolvedProposal rp : in) {
            LeafIndex target = target(rp);
            if (target == null || winner.get(target) == rp) {
                out.add(rp);
            } else {
                omitted.add(new Omitted(rp, "RFC 9420 §12.2: another Update or Remove of " + target
                        + " is preferred (a Remove, else the most recent Update)"));
            }
        }
        return out;
    }

    private static LeafIndex target(ResolvedProposal rp) {
        return switch (rp.proposal()) {
            case Proposal.Remove r -> r.removed().orElse(null);
            case Proposal.Update u -> rp.sender() instanceof Sender.Member m ? m.leaf() : null;
            default -> null;
        };
    }

    /** §12.2: one Add per client (and none for remaining members), one per PSK id, the latest GCE. */
    private static List<ResolvedProposal> dropDuplicates(List<ResolvedProposal> in, List<Omitted> omitted,
            RatchetTree tree) {
        Set<LeafIndex> removed = new HashSet<>();
        ResolvedProposal lastGce = null;
        for (ResolvedProposal rp : in) {
            if (rp.proposal() instanceof Proposal.Remove r) {
                r.removed().ifPresent(removed::add);
            }
            if (rp.proposal() instanceof Proposal.GroupContextExtensions) {
                lastGce = rp;
            }
        }
        Map<Bytes, LeafIndex> members = new LinkedHashMap<>();
        tree.forEachLeaf((i, l) -> {
            if (!removed.contains(i)) {
                members.put(l.signatureKey(), i);
            }
        });
        Set<Bytes> addKeys = new HashSet<>();
        Set<PreSharedKeyId> psks = new HashSet<>();
        List<ResolvedProposal> out = new ArrayList<>();
        for (ResolvedProposal rp : in) {
            String reason = switch (rp.proposal()) {
                case Proposal.Add a -> {
                    Bytes key = a.keyPackage().leafNode().signatureKey();
                    if (members.containsKey(key)) {
                        yield "RFC 9420 §12.2: the client is already in the group (" + members.get(key) + ")";
                    }
                    yield addKeys.add(key) ? null : "RFC 9420 §12.2: another Add adds the same client";
                }
                case Proposal.PreSharedKey p -> psks.add(p.psk()) ? null
                        : "RFC 9420 §12.2: another PreSharedKey proposal references the same PreSharedKeyID";
                case Proposal.GroupContextExtensions g -> rp == lastGce ? null
                        : "RFC 9420 §12.2: a later GroupContextExtensions proposal is preferred";
                default -> null;
            };
            if (reason == null) {
                out.add(rp);
            } else {
                omitted.add(new Omitted(rp, reason));
            }
        }
        return out;
    }

    /** §12.2: ReInit only alone, and other proposals are preferred over it. */
    private static List<ResolvedProposal> deferReInit(List<ResolvedProposal> in, List<Omitted> omitted) {
        boolean others = in.stream().anyMatch(rp -> !(rp.proposal() instanceof Proposal.ReInit));
        List<ResolvedProposal> out = new ArrayList<>();
        for (ResolvedProposal rp : in) {
            if (rp.proposal() instanceof Proposal.ReInit) {
                if (others) {
                    omitted.add(new Omitted(rp, "RFC 9420 §12.2: other proposals are preferred over ReInit, which "
                            + "must be committed alone"));
                    continue;
                }
                if (!out.isEmpty()) {
                    omitted.add(new Omitted(rp, "RFC 9420 §12.2: only one ReInit can be committed"));
                    continue;
                }
            }
            out.add(rp);
        }
        return out;
    }
}
