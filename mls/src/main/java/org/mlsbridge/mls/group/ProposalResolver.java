package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.validation.ResolvedProposal;

/**
 * The proposals a commit covers (RFC 9420 §12.4.2): references looked up in the epoch's
 * proposal cache, values sent by the committer. Validation of the list is the caller's.
 */
final class ProposalResolver {
    private ProposalResolver() {
    }

    static List<ResolvedProposal> resolve(GroupState state, Commit commit, Sender committer)
            throws ValidationException {
        List<ResolvedProposal> out = new ArrayList<>(commit.proposals().size());
        for (ProposalOrRef p : commit.proposals()) {
            switch (p) {
                case ProposalOrRef.ByReference r -> {
                    CachedProposal cached = state.proposals().get(r.ref());
                    if (cached == null) {
                        throw new ValidationException("RFC 9420 §12.4.2: the commit references proposal " + r.ref()
                                + ", which was not received in epoch " + Long.toUnsignedString(state.epoch()));
                    }
                    out.add(new ResolvedProposal(cached.proposal(), cached.sender(), Optional.of(r.ref())));
                }
                case ProposalOrRef.ByValue v -> out.add(ResolvedProposal.byValue(v.proposal(), committer));
            }
        }
        return out;
    }
}
