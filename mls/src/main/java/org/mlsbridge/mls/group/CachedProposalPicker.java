package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * Chooses which cached proposals a committer can take together (RFC 9420 §12.2), first come
 * first served: its own Update and Removes of itself are left out (the path renews its leaf;
 * someone else must remove it), as are a second Update or Remove for the same leaf, a second Add
 * of the same client, a repeated PSK, a second GroupContextExtensions. A ReInit goes alone.
 */
final class CachedProposalPicker {
    private CachedProposalPicker() {
    }

    /** {@code taken} are proposals already chosen (explicit references and values) that the cached ones must fit. */
    static List<ResolvedProposal> select(GroupState s, List<ResolvedProposal> taken) {
        Set<LeafIndex> touched = new HashSet<>();
        Set<Bytes> addedKeys = new HashSet<>();
        Set<PreSharedKeyId> psks = new HashSet<>();
        Set<Bytes> refs = new HashSet<>();
        boolean[] gce = {false};
        for (ResolvedProposal p : taken) {
            p.ref().ifPresent(refs::add);
            accept(s, p, touched, addedKeys, psks, gce);
        }
        List<ResolvedProposal> out = new ArrayList<>();
        for (CachedProposal c : s.proposals().values()) {
            ResolvedProposal p = new ResolvedProposal(c.proposal(), c.sender(), Optional.of(c.ref()));
            if (c.proposal() instanceof Proposal.ReInit && taken.isEmpty() && out.isEmpty()) {
                return List.of(p);
            }
            if (!refs.contains(c.ref()) && !(c.proposal() instanceof Proposal.ReInit)
                    && accept(s, p, touched, addedKeys, psks, gce)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean accept(GroupState s, ResolvedProposal p, Set<LeafIndex> touched, Set<Bytes> addedKeys,
            Set<PreSharedKeyId> psks, boolean[] gce) {
        LeafIndex me = s.ownLeaf();
        return switch (p.proposal()) {
            case Proposal.Update u -> p.sender() instanceof Sender.Member m && !m.leaf().equals(me)
                    && touched.add(m.leaf());
            case Proposal.Remove r -> r.removed().filter(l -> !l.equals(me) && s.tree().leaf(l).isPresent())
                    .map(touched::add).orElse(false);
            case Proposal.Add a -> addedKeys.add(a.keyPackage().leafNode().signatureKey());
            case Proposal.PreSharedKey k -> psks.add(k.psk());
            case Proposal.GroupContextExtensions g -> !gce[0] && (gce[0] = true);
            case Proposal.ExternalInit e -> false;
            case Proposal.ReInit r -> true;
            case Proposal.CustomProposal c -> true;
        };
    }
}
