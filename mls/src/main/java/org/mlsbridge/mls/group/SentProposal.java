package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * A proposal this member sent: the message for the delivery service, and its ProposalRef
 * (RFC 9420 §5.2), under which it is already cached for this member's own later commit.
 */
public record SentProposal(MlsMessage message, Bytes ref) {
    public SentProposal {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(ref, "ref");
    }
}
