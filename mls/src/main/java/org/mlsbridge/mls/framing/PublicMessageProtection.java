package org.mlsbridge.mls.framing;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;

/**
 * PublicMessage protection (RFC 9420 §6.2): a signature over the content and, for member senders,
 * a membership tag {@code MAC(membership_key, AuthenticatedContentTBM)}. Stateless and thread-safe.
 */
public final class PublicMessageProtection {
    private final SuiteCrypto crypto;

    public PublicMessageProtection(SuiteCrypto crypto) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    /**
     * Signs and frames a proposal (or any content that needs no confirmation tag).
     *
     * @param membershipKey required when the sender is a member; ignored otherwise
     */
    public PublicMessage protect(FramedContent content, Secret signaturePrivateKey, GroupContext context,
            Optional<Secret> membershipKey) throws CryptoException {
        if (content.contentType() == ContentType.COMMIT) {
            throw new IllegalArgumentException("a commit needs its confirmation tag: sign it with ContentSignatures, "
                    + "add the tag, then call protect(AuthenticatedContent, ...)");
        }
        Bytes signature = ContentSignatures.sign(crypto, signaturePrivateKey, WireFormat.PUBLIC_MESSAGE, content, context);
        return protect(new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, content,
                new FramedContentAuthData(signature, Optional.empty())), context, membershipKey);
    }

    /** Frames content that is already signed (and, for a commit, carries its confirmation tag). */
    public PublicMessage protect(AuthenticatedContent content, GroupContext context, Optional<Secret> membershipKey) {
        if (content.wireFormat() != WireFormat.PUBLIC_MESSAGE) {
            throw new IllegalArgumentException("content was signed for " + content.wireFormat() + ", not PUBLIC_MESSAGE");
        }
        if (content.content().contentType() == ContentType.APPLICATION) {
            throw new IllegalArgumentException("RFC 9420 §6: application data must be sent as PrivateMessage");
        }
        Optional<Bytes> tag = Optional.empty();
        if (content.content().sender() instanceof Sender.Member) {
            Secret key = membershipKey.orElseThrow(
                    () -> new IllegalArgumentException("RFC 9420 §6.2: a member's PublicMessage needs the membership key"));
            tag = Optional.of(membershipTag(key, content, context));
        }
        return new PublicMessage(content.content(), content.auth(), tag);
    }

    /**
     * Checks a received PublicMessage and returns its authenticated content.
     *
     * <p>Checks, in order: group id and epoch against {@code context}; content type allowed for the
     * wire format and sender; the membership tag for member senders; the sender is known; the
     * signature. Nothing is stateful here, so a rejected message changes nothing.
     *
     * @param membershipKey the epoch's membership key; empty only for an observer outside the group
     *     (e.g. a delivery service keeping a public view), which then cannot check membership tags
     */
    public AuthenticatedContent unprotect(PublicMessage message, GroupContext context, Optional<Secret> membershipKey,
            SignatureKeyLookup keys) throws MlsException {
        FramedContent content = message.content();
        Headers.checkGroupAndEpoch(content.groupId(), content.epoch(), context);
        ContentType type = content.contentType();
        if (type == ContentType.APPLICATION) {
            throw new ValidationException("RFC 9420 §6: application data must not be sent as PublicMessage");
        }
        checkSenderMayFrame(content.sender(), content.content());
        AuthenticatedContent authenticated = message.authenticatedContent();
        if (content.sender() instanceof Sender.Member && membershipKey.isPresent()) {
            Bytes expected = membershipTag(membershipKey.get(), authenticated, context);
            Bytes received = message.membershipTag().orElseThrow(
                    () -> new ValidationException(FailureReason.BAD_MEMBERSHIP_TAG,
                            "RFC 9420 §6.2: member PublicMessage lacks its membership tag"));
            if (!expected.constantTimeEquals(received)) {
                throw new ValidationException(FailureReason.BAD_MEMBERSHIP_TAG,
                        "RFC 9420 §6.2: membership tag does not verify");
            }
        }
        Bytes signatureKey = keys.signatureKey(content).orElseThrow(
                () -> new ValidationException(FailureReason.UNKNOWN_SENDER,
                        "RFC 9420 §6.2: unknown sender " + content.sender()));
        ContentSignatures.verify(crypto, signatureKey, authenticated, context);
        return authenticated;
    }

    /** §6: which content each kind of non-member sender may send. */
    private static void checkSenderMayFrame(Sender sender, Content content) throws ValidationException {
        ContentType type = content.contentType();
        switch (sender) {
            case Sender.Member m -> {
            }
            case Sender.External e -> {
                if (type != ContentType.PROPOSAL) {
                    throw new ValidationException("RFC 9420 §6: an external sender may only send proposals, not " + type);
                }
            }
            case Sender.NewMemberProposal n -> {
                if (!(content instanceof Content.ProposalContent p && p.proposal() instanceof Proposal.Add)) {
                    throw new ValidationException("RFC 9420 §6: a new_member_proposal sender may only send an Add"
                            + " proposal");
                }
            }
            case Sender.NewMemberCommit n -> {
                if (type != ContentType.COMMIT) {
                    throw new ValidationException("RFC 9420 §6: a new_member_commit sender may only send commits, not "
                            + type);
                }
            }
        }
    }

    /** {@code MAC(membership_key, AuthenticatedContentTBM)} (§6.2). */
    Bytes membershipTag(Secret membershipKey, AuthenticatedContent content, GroupContext context) {
        AuthenticatedContentTbm tbm = new AuthenticatedContentTbm(
                FramedContentTbs.of(content.wireFormat(), content.content(), context), content.auth());
        byte[] key = membershipKey.copy();
        try {
            return Bytes.wrap(crypto.mac(key, tbm.toByteArray()));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
