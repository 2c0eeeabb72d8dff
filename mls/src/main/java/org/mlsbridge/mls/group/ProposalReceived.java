package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;

/** A valid proposal, now cached under its ProposalRef until this epoch ends. */
public record ProposalReceived(Bytes ref, Proposal proposal, Sender sender) implements ProcessedMessage {
    public ProposalReceived {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(sender, "sender");
    }
}
