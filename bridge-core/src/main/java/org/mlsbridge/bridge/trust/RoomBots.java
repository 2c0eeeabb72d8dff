package org.mlsbridge.bridge.trust;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.RatchetTree;

/**
 * Who the room's bot is, by the group's own authenticated record: the external_senders
 * extension of the GroupContext. The external-sender bot is listed there by the group's
 * creator; a member-mode bot lists itself when it creates the group. Changing the list takes a
 * GroupContextExtensions proposal, which room policy allows only from the bot itself.
 */
public final class RoomBots {
    private RoomBots() {
    }

    public static List<ExternalSender> of(GroupContext context) {
        Optional<Extension> ext = context.extensions().stream()
                .filter(e -> e.type() == Extension.EXTERNAL_SENDERS).findFirst();
        if (ext.isEmpty()) {
            return List.of();
        }
        try {
            return ExternalSender.fromExtension(ext.get());
        } catch (DecodeException e) {
            return List.of();
        }
    }

    /** Whether {@code credential} is one of the group's external senders (the room's bot). */
    public static boolean isBot(GroupContext context, Credential credential) {
        return of(context).stream().anyMatch(s -> s.credential().equals(credential));
    }

    /**
     * Whether a proposal or commit sender is the room's bot or one of {@code owners}: an external
     * sender of the group (only bots are listed there), or a member whose leaf is the bot's or
     * names an owner.
     */
    public static boolean isBotOrOwner(Sender sender, GroupContext context, RatchetTree tree,
            java.util.Set<org.mlsbridge.bridge.transport.UserId> owners) {
        return switch (sender) {
            case Sender.External e -> e.senderIndex() >= 0 && e.senderIndex() < of(context).size();
            case Sender.Member m -> tree.leaf(m.leaf()).map(l -> isBot(context, l.credential())
                    || DefaultAuthenticationService.account(l.credential()).map(owners::contains).orElse(false))
                    .orElse(false);
            case Sender.NewMemberProposal n -> false;
            case Sender.NewMemberCommit n -> false;
        };
    }
}
