package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * A member's proposals sent on their own (RFC 9420 §12.1): checked as receivers will check them,
 * framed in the configured handshake wire format, and cached under their ProposalRef so that
 * the member's own commit can reference them.
 */
final class Proposer {
    private Proposer() {
    }

    record Proposed(SentProposal sent, GroupState state) {
    }

    static Proposed propose(GroupState s, Proposal proposal, Bytes authenticatedData, GroupConfig config,
            SecureRandom random) throws MlsException {
        Sender me = new Sender.Member(s.ownLeaf());
        GroupValidation validation = new GroupValidation(config);
        validation.ownAdds(s, List.of(proposal));
        validation.proposal(s, proposal, me);
        AuthenticatedContent content = OwnFraming.sign(s, config.handshakes().wireFormat(),
                OwnFraming.content(s, authenticatedData, new Content.ProposalContent(proposal)));
        Bytes ref = s.crypto().makeProposalRef(content.toByteArray());
        MlsMessage message = OwnFraming.protect(s, content, config, random);
        return new Proposed(new SentProposal(message, ref), s.withProposal(new CachedProposal(ref, proposal, me)));
    }

    /** §12.1.2: this member's leaf with a fresh encryption key, source update, signed for its position. */
    static LeafNode updatedLeaf(GroupState s, HpkeKeyPair newKey) throws CryptoException {
        LeafNode current = s.ownLeafNode();
        LeafNode unsigned = new LeafNode(newKey.publicKey(), current.signatureKey(), current.credential(),
                current.capabilities(), LeafNodeSource.UPDATE, Optional.empty(), Optional.empty(),
                current.extensions(), Bytes.EMPTY);
        byte[] signature = s.crypto().signWithLabel(s.signaturePrivateKey(), TreeValidator.LEAF_SIGNATURE_LABEL,
                unsigned.toBeSigned(s.groupId(), s.ownLeaf()));
        return unsigned.withSignature(Bytes.wrap(signature));
    }
}
