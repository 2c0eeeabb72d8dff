package org.mlsbridge.bridge.relay;

import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.AuthenticationService;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;

/**
 * The checks the bridge makes on a handshake message before it sequences it, where only the
 * bridge can make them: members of a bridged room see every handshake message as posted by the
 * bridge, so they cannot match a self-introducing sender (an external commit, a new member's
 * proposal) against the network account that really sent it. The bridge can: the new leaf must
 * name the account the server authenticated as the sender. Everything else (signatures, RFC 9420
 * rules, room policy) members and the bot check themselves on the bridge's post.
 */
final class Submissions {
    private final AuthenticationService authentication;

    Submissions(AuthenticationService authentication) {
        this.authentication = authentication;
    }

    void check(MlsMessage msg, UserId networkSender) throws Refusal {
        if (!(msg.body() instanceof PublicMessage p)) {
            return;
        }
        Sender sender = p.content().sender();
        Optional<LeafNode> newLeaf = switch (p.content().content()) {
            case Content.CommitContent c when sender instanceof Sender.NewMemberCommit -> {
                if (c.commit().path().isEmpty()) {
                    throw new Refusal(Refusal.Rule.EXTERNAL_JOIN_REFUSED, "external commit without a path");
                }
                yield Optional.of(c.commit().path().get().leafNode());
            }
            case Content.ProposalContent c when sender instanceof Sender.NewMemberProposal
                    && c.proposal() instanceof Proposal.Add a -> Optional.of(a.keyPackage().leafNode());
            default -> Optional.empty();
        };
        if (newLeaf.isPresent()) {
            UserId joiner = authentication.identity(newLeaf.get().credential());
            if (!joiner.equals(networkSender)) {
                throw new Refusal(Refusal.Rule.EXTERNAL_JOIN_IMPERSONATION, "a leaf of " + joiner + " posted by "
                        + networkSender);
            }
        }
    }
}
