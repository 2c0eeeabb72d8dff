package org.mlsbridge.mls.group;

import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.framing.PaddingPolicy;
import org.mlsbridge.mls.framing.PrivateMessageProtection;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;

/**
 * Turns an incoming MLSMessage into authenticated content (RFC 9420 §6.2, §6.3): group and
 * epoch checked, membership tag or decryption, sender known, signature valid. Application
 * messages of an earlier epoch still in the window are read with that epoch's keys.
 */
final class MessageReader {
    private MessageReader() {
    }

    /** Authenticated content and the past epoch it belongs to, if not the current one. */
    record Unprotected(AuthenticatedContent content, Optional<PastEpoch> pastEpoch) {
    }

    static Unprotected read(GroupState state, MlsMessage message) throws MlsException {
        return switch (message.body()) {
            case PublicMessage pm -> new Unprotected(readPublic(state, pm), Optional.empty());
            case PrivateMessage pm -> readPrivate(state, pm);
            default -> throw new ValidationException("RFC 9420 §6: a " + message.wireFormat()
                    + " is not a message to process in a group");
        };
    }

    private static AuthenticatedContent readPublic(GroupState state, PublicMessage message) throws MlsException {
        return new PublicMessageProtection(state.crypto()).unprotect(message, state.context(),
                Optional.of(state.epochSecrets().membershipKey()), new SenderKeys(state.context(), state.tree()));
    }

    private static Unprotected readPrivate(GroupState state, PrivateMessage message) throws MlsException {
        PrivateMessageProtection protection = new PrivateMessageProtection(state.crypto(), PaddingPolicy.none());
        Optional<PastEpoch> past = message.groupId().equals(state.groupId()) && message.epoch() != state.epoch()
                && message.contentType() == ContentType.APPLICATION ? state.pastEpoch(message.epoch()) : Optional.empty();
        if (past.isPresent()) {
            PastEpoch p = past.get();
            AuthenticatedContent content = protection.unprotect(message, p.context(), p.secretTree(),
                    p.senderDataSecret(), new SenderKeys(p.context(), p.tree()));
            return new Unprotected(content, past);
        }
        AuthenticatedContent content = protection.unprotect(message, state.context(), state.secretTree(),
                state.epochSecrets().senderDataSecret(), new SenderKeys(state.context(), state.tree()));
        return new Unprotected(content, Optional.empty());
    }
}
