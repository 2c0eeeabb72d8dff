package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;

/**
 * A proposal received in the current epoch and kept until a commit references it (RFC 9420
 * §12.4): its ProposalRef (§5.2), the proposal, and who sent it.
 */
public record CachedProposal(Bytes ref, Proposal proposal, Sender sender) implements TlsEncodable {
    public CachedProposal {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(sender, "sender");
    }

    @Override
    public void writeTo(TlsWriter w) {
        w.opaque(ref);
        proposal.writeTo(w);
        sender.writeTo(w);
    }

    public static CachedProposal readFrom(TlsReader r) throws DecodeException {
        return new CachedProposal(r.opaque(), Proposal.readFrom(r), Sender.readFrom(r));
    }
}
