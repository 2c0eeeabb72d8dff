package org.mlsbridge.mls.group;

import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;

/**
 * A proposal sent on its own (RFC 9420 §12.1): validated against the current state and given
 * its ProposalRef (§5.2), the hash of the AuthenticatedContent that carried it.
 */
final class ProposalReceiver {
    private ProposalReceiver() {
    }

    static CachedProposal receive(GroupState state, AuthenticatedContent content, GroupValidation validation)
            throws ValidationException {
        Content.ProposalContent pc = (Content.ProposalContent) content.content().content();
        validation.proposal(state, pc.proposal(), content.content().sender());
        Bytes ref = state.crypto().makeProposalRef(content.toByteArray());
        return new CachedProposal(ref, pc.proposal(), content.content().sender());
    }
}
