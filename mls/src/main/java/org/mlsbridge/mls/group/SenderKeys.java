package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.framing.SignatureKeyLookup;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * Who may sign for each kind of sender (RFC 9420 §6.1): a member's leaf, an entry of the
 * external_senders extension (§12.1.8.1), the KeyPackage of a new_member_proposal Add, the
 * UpdatePath leaf of a new_member_commit.
 */
final class SenderKeys implements SignatureKeyLookup {
    private final GroupContext context;
    private final RatchetTree tree;

    SenderKeys(GroupContext context, RatchetTree tree) {
        this.context = context;
        this.tree = tree;
    }

    @Override
    public Optional<Bytes> signatureKey(FramedContent content) throws DecodeException {
        return switch (content.sender()) {
            case Sender.Member m -> tree.leaf(m.leaf()).map(LeafNode::signatureKey);
            case Sender.External e -> externalSender(context, e.senderIndex()).map(ExternalSender::signatureKey);
            case Sender.NewMemberProposal n -> content.content() instanceof Content.ProposalContent p
                    && p.proposal() instanceof Proposal.Add add
                    ? Optional.of(add.keyPackage().leafNode().signatureKey()) : Optional.empty();
            case Sender.NewMemberCommit n -> content.content() instanceof Content.CommitContent c
                    ? c.commit().path().map(path -> path.leafNode().signatureKey()) : Optional.empty();
        };
    }

    /** Entry {@code index} of the context's external_senders extension, if there is one. */
    static Optional<ExternalSender> externalSender(GroupContext context, int index) throws DecodeException {
        Optional<Extension> ext = Extensions.find(context.extensions(), Extension.EXTERNAL_SENDERS);
        if (ext.isEmpty()) {
            return Optional.empty();
        }
        List<ExternalSender> senders = ExternalSender.fromExtension(ext.get());
        return index < senders.size() ? Optional.of(senders.get(index)) : Optional.empty();
    }
}
