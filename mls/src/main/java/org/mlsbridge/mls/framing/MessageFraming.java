package org.mlsbridge.mls.framing;

import java.security.SecureRandom;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.message.WireFormat;

/**
 * The entry point of the group layer into framing (RFC 9420 §6): sign content, protect it as
 * the wire format it was signed for, and unprotect whatever PublicMessage or PrivateMessage
 * arrives. Holds no group state; one instance may serve every group of a cipher suite.
 *
 * <p>A commit is sent in three steps because its confirmation tag depends on its signature:
 * {@link #sign}, then the transcript hash and key schedule give the tag, then
 * {@link #protect(AuthenticatedContent, EpochFramingKeys)} with the tag in the auth data.
 */
public final class MessageFraming {
    private final SuiteCrypto crypto;
    private final PublicMessageProtection publicMessages;
    private final PrivateMessageProtection privateMessages;

    public MessageFraming(SuiteCrypto crypto, PaddingPolicy padding, SecureRandom random) {
        this.crypto = crypto;
        this.publicMessages = new PublicMessageProtection(crypto);
        this.privateMessages = new PrivateMessageProtection(crypto, padding, random);
    }

    public MessageFraming(SuiteCrypto crypto, PaddingPolicy padding) {
        this(crypto, padding, new SecureRandom());
    }

    public PublicMessageProtection publicMessages() {
        return publicMessages;
    }

    public PrivateMessageProtection privateMessages() {
        return privateMessages;
    }

    /** The signature of {@code content} as it will be sent with {@code wireFormat} (§6.1). */
    public Bytes sign(WireFormat wireFormat, FramedContent content, Secret signaturePrivateKey, EpochFramingKeys keys)
            throws CryptoException {
        return ContentSignatures.sign(crypto, signaturePrivateKey, wireFormat, content, keys.context());
    }

    /** Signs and protects content that needs no confirmation tag (application data, proposals). */
    public MlsMessage protect(WireFormat wireFormat, FramedContent content, Secret signaturePrivateKey,
            EpochFramingKeys keys) throws CryptoException {
        Bytes signature = sign(wireFormat, content, signaturePrivateKey, keys);
        return protect(new AuthenticatedContent(wireFormat, content, new FramedContentAuthData(signature,
                Optional.empty())), keys);
    }

    /** Protects signed content as the wire format it was signed for. */
    public MlsMessage protect(AuthenticatedContent content, EpochFramingKeys keys) {
        return switch (content.wireFormat()) {
            case PUBLIC_MESSAGE -> MlsMessage.of(
                    publicMessages.protect(content, keys.context(), Optional.of(keys.membershipKey())));
            case PRIVATE_MESSAGE -> MlsMessage.of(privateMessages.protect(content, keys.context(), keys.secretTree(),
                    keys.senderDataSecret()));
            case WELCOME, GROUP_INFO, KEY_PACKAGE -> throw new IllegalArgumentException(
                    "framed content is sent as PublicMessage or PrivateMessage, not " + content.wireFormat());
        };
    }

    /**
     * Checks and opens a PublicMessage or PrivateMessage of the epoch {@code keys} belongs to. On
     * any failure nothing changes (the secret tree included) and the next good message works.
     */
    public AuthenticatedContent unprotect(MlsMessage message, EpochFramingKeys keys, SignatureKeyLookup lookup)
            throws MlsException {
        return switch (message.body()) {
            case PublicMessage m -> publicMessages.unprotect(m, keys.context(), Optional.of(keys.membershipKey()), lookup);
            case PrivateMessage m -> privateMessages.unprotect(m, keys.context(), keys.secretTree(),
                    keys.senderDataSecret(), lookup);
            case Welcome w -> throw noFramedContent(message);
            case GroupInfo g -> throw noFramedContent(message);
            case KeyPackage k -> throw noFramedContent(message);
        };
    }

    private static ValidationException noFramedContent(MlsMessage message) {
        return new ValidationException("RFC 9420 §6: a " + message.wireFormat() + " carries no framed content");
    }
}
