package org.mlsbridge.bridge.manager;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupContext;

/**
 * Who the room's bot is, by the group's own authenticated record: the external_senders
 * extension of the GroupContext. The external-sender bot is listed there by the group's
 * creator; a member-mode bot lists itself when it creates the group. Changing the list takes a
 * GroupContextExtensions proposal, which room policy allows only from the bot itself.
 */
final class RoomBots {
    private RoomBots() {
    }

    static List<ExternalSender> of(GroupContext context) {
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
    static boolean isBot(GroupContext context, Credential credential) {
        return of(context).stream().anyMatch(s -> s.credential().equals(credential));
    }
}
