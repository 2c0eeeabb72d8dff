package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;

/** A valid proposal seen by a {@link PublicGroupView}, cached under its ProposalRef for this epoch. */
public record PublicProposal(Bytes ref, Proposal proposal, Sender sender) implements PublicEvent {
    public PublicProposal {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(sender, "sender");
    }
}
