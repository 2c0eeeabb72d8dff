package org.mlsbridge.mls.validation;

import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;

/**
 * One proposal a commit covers, with its sender: the committer for proposals by value, the
 * original sender for those by reference (RFC 9420 §12.4).
 *
 * @param ref the ProposalRef when the commit referenced the proposal, empty when by value
 */
public record ResolvedProposal(Proposal proposal, Sender sender, Optional<Bytes> ref) {
    public ResolvedProposal {
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(ref, "ref");
    }

    /** A proposal the committer included by value. */
    public static ResolvedProposal byValue(Proposal proposal, Sender committer) {
        return new ResolvedProposal(proposal, committer, Optional.empty());
    }

    public boolean byReference() {
        return ref.isPresent();
    }
}
