package org.mlsbridge.mls.group;

import java.util.Optional;
import java.util.function.Function;
import org.mlsbridge.mls.InactiveGroupException;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
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
 * The receive path (RFC 9420 §6, §12): authenticate a message, then hand its content to the
 * matching handler. Stateless: it returns the outcome and the state to continue with (the same
 * state, or one with a newly cached proposal); a commit is only staged.
 */
final class MessageProcessor {
    private final CommitProcessor commits;
    private final GroupValidation validation;

    MessageProcessor(GroupConfig config, PskLookup psks) {
        this.validation = new GroupValidation(config);
        this.commits = new CommitProcessor(config, psks, validation);
    }

    record Outcome(ProcessedMessage message, GroupState state) {
    }

    Outcome process(GroupState state, MlsMessage message) throws MlsException {
        return process(state, message, publicKey -> Optional.empty());
    }

    /**
     * As {@link #process(GroupState, MlsMessage)}, for a member with Update proposals out
     * (RFC 9420 §12.1.2): a commit covering one of them is processed with the Update's new leaf
     * key, looked up by its public key, since the committer encrypts to that key.
     */
    Outcome process(GroupState state, MlsMessage message, Function<Bytes, Optional<HpkeKeyPair>> updateKeys)
            throws MlsException {
        if (state.pendingReInit().isPresent()) {
            throw new InactiveGroupException("RFC 9420 §11.2: the group was reinitialized and takes no more messages");
        }
        MessageReader.Unprotected read = MessageReader.read(state, message);
        AuthenticatedContent content = read.content();
        return switch (content.content().content()) {
            case Content.Application app -> {
                RatchetTree tree = read.pastEpoch().map(PastEpoch::tree).orElse(state.tree());
                Sender.Member sender = (Sender.Member) content.content().sender();
                LeafNode leaf = tree.leaf(sender.leaf()).orElseThrow();
                yield new Outcome(new ApplicationMessage(app.data(), sender.leaf(), leaf.credential(),
                        content.content().epoch(), content.content().authenticatedData()), state);
            }
            case Content.ProposalContent p -> {
                CachedProposal cached = ProposalReceiver.receive(state, content, validation);
                yield new Outcome(new ProposalReceived(cached.ref(), cached.proposal(), cached.sender()),
                        state.withProposal(cached));
            }
            case Content.CommitContent c -> new Outcome(
                    commits.process(withCommittedUpdateKey(state, c.commit(), updateKeys), content), state);
        };
    }

    /** The state with this member's leaf key replaced by its Update's, if the commit covers that Update. */
    private static GroupState withCommittedUpdateKey(GroupState state, Commit commit,
            Function<Bytes, Optional<HpkeKeyPair>> updateKeys) {
        Sender.Member self = new Sender.Member(state.ownLeaf());
        for (ProposalOrRef p : commit.proposals()) {
            if (p instanceof ProposalOrRef.ByReference r) {
                CachedProposal c = state.proposals().get(r.ref());
                if (c != null && c.proposal() instanceof Proposal.Update u && c.sender().equals(self)) {
                    Optional<HpkeKeyPair> key = updateKeys.apply(u.leafNode().encryptionKey());
                    if (key.isPresent()) {
                        return state.withPrivateKeys(state.privateKeys().with(state.ownLeaf().toNode(), key.get()));
                    }
                }
            }
        }
        return state;
    }
}
