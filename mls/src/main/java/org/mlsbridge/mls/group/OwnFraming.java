package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PrivateMessageProtection;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;

/**
 * Signs and protects content this member sends in its current epoch (RFC 9420 §6): PublicMessage
 * with the membership tag, or PrivateMessage with the next key of its own hash ratchet (which is
 * used once and deleted, so the member cannot read its own message when it comes back).
 */
final class OwnFraming {
    private OwnFraming() {
    }

    /** FramedContent from this member in the state's epoch. */
    static FramedContent content(GroupState s, Bytes authenticatedData, Content content) {
        return new FramedContent(s.groupId(), s.epoch(), new Sender.Member(s.ownLeaf()), authenticatedData, content);
    }

    /** Signed for {@code wireFormat}; a commit still needs its confirmation tag ({@link #withTag}). */
    static AuthenticatedContent sign(GroupState s, WireFormat wireFormat, FramedContent content)
            throws CryptoException {
        Bytes signature = ContentSignatures.sign(s.crypto(), s.signaturePrivateKey(), wireFormat, content,
                s.context());
        Optional<Bytes> tag = content.content() instanceof Content.CommitContent ? Optional.of(Bytes.EMPTY)
                : Optional.empty();
        return new AuthenticatedContent(wireFormat, content, new FramedContentAuthData(signature, tag));
    }

    static AuthenticatedContent withTag(AuthenticatedContent content, Bytes confirmationTag) {
        return new AuthenticatedContent(content.wireFormat(), content.content(),
                new FramedContentAuthData(content.auth().signature(), Optional.of(confirmationTag)));
    }

    /** Frames signed content as the wire format it was signed for. */
    static MlsMessage protect(GroupState s, AuthenticatedContent content, GroupConfig config, SecureRandom random) {
        return switch (content.wireFormat()) {
            case PUBLIC_MESSAGE -> MlsMessage.of(new PublicMessageProtection(s.crypto()).protect(content, s.context(),
                    Optional.of(s.epochSecrets().membershipKey())));
            case PRIVATE_MESSAGE -> MlsMessage.of(new PrivateMessageProtection(s.crypto(), config.padding(), random)
                    .protect(content, s.context(), s.secretTree(), s.epochSecrets().senderDataSecret()));
            default -> throw new IllegalArgumentException("not a framed wire format: " + content.wireFormat());
        };
    }
}
