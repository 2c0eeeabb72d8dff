package org.mlsbridge.mls.group;

import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
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
                yield new Outcome(new ApplicationMessage(app.data(), sender.leaf(), leaf.credential(),
                        content.content().epoch(), content.content().authenticatedData()), state);
            }
            case Content.ProposalContent p -> {
                CachedProposal cached = ProposalReceiver.receive(state, content, validation);
                yield new Outcome(new ProposalReceived(cached.ref(), cached.proposal(), cached.sender()),
                        state.withProposal(cached));
            }
            case Content.CommitContent c -> new Outcome(commits.process(state, content), state);
        };
    }
}
