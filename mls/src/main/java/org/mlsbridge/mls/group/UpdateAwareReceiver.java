package org.mlsbridge.mls.group;

import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * The receive path while this member has Update proposals out (RFC 9420 §12.1.2): the same steps
 * as {@link MessageProcessor}, except that a commit covering one of them is processed with the
 * Update's new leaf key in place of the old one, since the committer encrypts to the new key.
 * The content has to be read first to know which key applies, and reading a PrivateMessage uses
 * up its key, hence a dispatch of its own rather than two passes through the receive path.
 */
final class UpdateAwareReceiver {
    private UpdateAwareReceiver() {
    }

    static MessageProcessor.Outcome process(GroupState state, MlsMessage message, OwnMessages own,
            CommitProcessor commits) throws MlsException {
        if (state.pendingReInit().isPresent()) {
            throw new ValidationException("RFC 9420 §11.2: the group was reinitialized and takes no more messages");
        }
        MessageReader.Unprotected read = MessageReader.read(state, message);
        AuthenticatedContent content = read.content();
        return switch (content.content().content()) {
            case Content.Application app -> {
                RatchetTree tree = read.pastEpoch().map(PastEpoch::tree).orElse(state.tree());
                Sender.Member sender = (Sender.Member) content.content().sender();
                LeafNode leaf = tree.leaf(sender.leaf()).orElseThrow();
                yield new MessageProcessor.Outcome(new ApplicationMessage(app.data(), sender.leaf(), leaf.credential(),
                        content.content().epoch(), content.content().authenticatedData()), state);
            }
            case Content.ProposalContent p -> {
                CachedProposal cached = ProposalReceiver.receive(state, content, commits.validation());
                yield new MessageProcessor.Outcome(new ProposalReceived(cached.ref(), cached.proposal(),
                        cached.sender()), state.withProposal(cached));
            }
            case Content.CommitContent c -> new MessageProcessor.Outcome(
                    commits.process(withCommittedUpdateKey(state, c.commit(), own), content), state);
        };
    }

    /** The state with this member's leaf key replaced by its Update's, if the commit covers that Update. */
    private static GroupState withCommittedUpdateKey(GroupState state, Commit commit, OwnMessages own) {
        for (ProposalOrRef p : commit.proposals()) {
            if (p instanceof ProposalOrRef.ByReference r) {
                CachedProposal c = state.proposals().get(r.ref());
                if (c != null && c.proposal() instanceof Proposal.Update u
                        && c.sender().equals(new Sender.Member(state.ownLeaf()))) {
                    Optional<HpkeKeyPair> key = own.updateKey(u.leafNode().encryptionKey());
                    if (key.isPresent()) {
                        return state.withPrivateKeys(state.privateKeys().with(state.ownLeaf().toNode(), key.get()));
                    }
                }
            }
        }
        return state;
    }
}
