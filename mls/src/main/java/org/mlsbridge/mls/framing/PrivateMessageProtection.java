package org.mlsbridge.mls.framing;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.secrets.ContentKind;
import org.mlsbridge.mls.secrets.KeyAndNonce;
import org.mlsbridge.mls.secrets.PendingKey;
import org.mlsbridge.mls.secrets.RatchetKey;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.secrets.SenderDataKeys;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * PrivateMessage protection (RFC 9420 §6.3): the signed content is encrypted with a key from the
 * sender's hash ratchet in the secret tree, and the sender's identity and generation with a key
 * derived from the content ciphertext.
 *
 * <p>Receiving never consumes a key before the message has passed every check (AEAD, padding,
 * sender, signature): a forged or corrupted message leaves the secret tree as it was, so it can
 * neither burn a real message's key nor move a ratchet. The object itself holds no group state
 * and may be shared by the groups of one cipher suite.
 */
public final class PrivateMessageProtection {
    private final SuiteCrypto crypto;
    private final PaddingPolicy padding;
    private final SecureRandom random;

    public PrivateMessageProtection(SuiteCrypto crypto, PaddingPolicy padding, SecureRandom random) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.padding = Objects.requireNonNull(padding, "padding");
        this.random = Objects.requireNonNull(random, "random");
    }

    public PrivateMessageProtection(SuiteCrypto crypto, PaddingPolicy padding) {
        this(crypto, padding, new SecureRandom());
    }

    /** Signs and encrypts application data or a proposal from the member at {@code content.sender()}. */
    public PrivateMessage protect(FramedContent content, Secret signaturePrivateKey, GroupContext context,
            SecretTree secretTree, Secret senderDataSecret) throws CryptoException {
        if (content.contentType() == ContentType.COMMIT) {
            throw new IllegalArgumentException("a commit needs its confirmation tag: sign it with ContentSignatures, "
                    + "add the tag, then call protect(AuthenticatedContent, ...)");
        }
        Bytes signature = ContentSignatures.sign(crypto, signaturePrivateKey, WireFormat.PRIVATE_MESSAGE, content,
                context);
        return protect(new AuthenticatedContent(WireFormat.PRIVATE_MESSAGE, content,
                new FramedContentAuthData(signature, Optional.empty())), context, secretTree, senderDataSecret);
    }

    /**
     * Encrypts content already signed for {@link WireFormat#PRIVATE_MESSAGE}. Takes the next
     * generation of the sender's ratchet (the key is used once and destroyed).
     */
    public PrivateMessage protect(AuthenticatedContent content, GroupContext context, SecretTree secretTree,
            Secret senderDataSecret) {
        if (content.wireFormat() != WireFormat.PRIVATE_MESSAGE) {
            throw new IllegalArgumentException("content was signed for " + content.wireFormat() + ", not PRIVATE_MESSAGE");
        }
        FramedContent fc = content.content();
        if (!(fc.sender() instanceof Sender.Member member)) {
            throw new IllegalArgumentException("RFC 9420 §6.3: only members send PrivateMessage, not " + fc.sender());
        }
        if (!fc.groupId().equals(context.groupId()) || fc.epoch() != context.epoch()) {
            throw new IllegalArgumentException("content is not for the current group and epoch");
        }
        ContentType type = fc.contentType();
        byte[] plaintext = encodePadded(fc, content.auth());
        byte[] aad = new PrivateContentAad(fc.groupId(), fc.epoch(), type, fc.authenticatedData()).toByteArray();
        byte[] guard = new byte[SenderData.REUSE_GUARD_LENGTH];
        random.nextBytes(guard);
        Bytes reuseGuard = Bytes.wrap(guard);

        RatchetKey key = secretTree.nextKey(member.leaf(), kindOf(type));
        byte[] ciphertext;
        try {
            ciphertext = seal(key.key(), key.guardedNonce(reuseGuard), aad, plaintext);
        } finally {
            key.destroy();
            Arrays.fill(plaintext, (byte) 0);
        }
        SenderData senderData = new SenderData(member.leaf(), key.generation(), reuseGuard);
        byte[] senderDataAad = new SenderDataAad(fc.groupId(), fc.epoch(), type).toByteArray();
        KeyAndNonce sdKeys = SenderDataKeys.derive(crypto, senderDataSecret, ciphertext);
        byte[] encryptedSenderData;
        try {
            encryptedSenderData = seal(sdKeys.key(), sdKeys.nonce().copy(), senderDataAad, senderData.toByteArray());
        } finally {
            sdKeys.destroy();
        }
        return new PrivateMessage(fc.groupId(), fc.epoch(), type, fc.authenticatedData(),
                Bytes.wrap(encryptedSenderData), Bytes.wrap(ciphertext));
    }

    /**
     * Decrypts and checks a received PrivateMessage; returns its authenticated content (wire format
     * private_message, sender the member named in the sender data). The key of the message's
     * generation is consumed only when every check has passed.
     *
     * @throws ValidationException wrong group or epoch, unknown sender, replayed or too distant
     *     generation, bad signature
     * @throws CryptoException sender data or content does not decrypt
     * @throws DecodeException malformed sender data or content, non-zero padding
     */
    public AuthenticatedContent unprotect(PrivateMessage message, GroupContext context, SecretTree secretTree,
            Secret senderDataSecret, SignatureKeyLookup keys) throws MlsException {
        Headers.checkGroupAndEpoch(message.groupId(), message.epoch(), context);
        ContentType type = message.contentType();
        SenderData senderData = openSenderData(message, senderDataSecret);

        try (PendingKey pending = secretTree.stageKey(senderData.leafIndex(), kindOf(type), senderData.generation())) {
            byte[] aad = new PrivateContentAad(message.groupId(), message.epoch(), type, message.authenticatedData())
                    .toByteArray();
            byte[] plaintext = open(pending.key().key(), pending.key().guardedNonce(senderData.reuseGuard()), aad,
                    message.ciphertext().toByteArray(), "RFC 9420 §6.3.1: content of PrivateMessage does not decrypt");
            PrivateMessageContent decoded;
            try {
                decoded = PrivateMessageContent.decode(plaintext, type);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            FramedContent fc = new FramedContent(message.groupId(), message.epoch(), new Sender.Member(senderData.leafIndex()),
                    message.authenticatedData(), decoded.content());
            AuthenticatedContent authenticated = new AuthenticatedContent(WireFormat.PRIVATE_MESSAGE, fc, decoded.auth());
            Bytes signatureKey = keys.signatureKey(fc).orElseThrow(() -> new ValidationException(
                    FailureReason.UNKNOWN_SENDER,
                    "RFC 9420 §6.3.2: sender " + senderData.leafIndex() + " is not a member of the group"));
            ContentSignatures.verify(crypto, signatureKey, authenticated, context);
            pending.commit();
            return authenticated;
        }
    }

    private SenderData openSenderData(PrivateMessage message, Secret senderDataSecret) throws MlsException {
        byte[] aad = new SenderDataAad(message.groupId(), message.epoch(), message.contentType()).toByteArray();
        KeyAndNonce sdKeys = SenderDataKeys.derive(crypto, senderDataSecret, message.ciphertext().toByteArray());
        byte[] plain;
        try {
            plain = open(sdKeys.key(), sdKeys.nonce().copy(), aad, message.encryptedSenderData().toByteArray(),
                    "RFC 9420 §6.3.2: sender data of PrivateMessage does not decrypt");
        } finally {
            sdKeys.destroy();
        }
        try {
            return TlsReader.decode(plain, SenderData::readFrom);
        } catch (DecodeException e) {
            throw new DecodeException("RFC 9420 §6.3.2: malformed SenderData: " + e.getMessage());
        }
    }

    private byte[] encodePadded(FramedContent fc, FramedContentAuthData auth) {
        byte[] unpadded = new PrivateMessageContent(fc.content(), auth, 0).toByteArray();
        int pad = padding.paddingFor(unpadded.length);
        if (pad < 0) {
            throw new IllegalStateException("padding policy returned " + pad);
        }
        if (pad == 0) {
            return unpadded;
        }
        // The padding is zeros, which is what copyOf appends.
        byte[] padded = Arrays.copyOf(unpadded, Math.addExact(unpadded.length, pad));
        Arrays.fill(unpadded, (byte) 0);
        return padded;
    }

    /** Handshake and application messages use separate ratchets (§9.1). */
    static ContentKind kindOf(ContentType type) {
        return switch (type) {
            case APPLICATION -> ContentKind.APPLICATION;
            case PROPOSAL, COMMIT -> ContentKind.HANDSHAKE;
        };
    }

    /** Consumes {@code nonce} (wiped afterwards). */
    private byte[] seal(Secret key, byte[] nonce, byte[] aad, byte[] plaintext) {
        byte[] k = key.copy();
        try {
            return crypto.aeadSeal(k, nonce, aad, plaintext);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        }
    }

    /** Consumes {@code nonce} (wiped afterwards). */
    private byte[] open(Secret key, byte[] nonce, byte[] aad, byte[] ciphertext, String failure) throws CryptoException {
        byte[] k = key.copy();
        try {
            return crypto.aeadOpen(k, nonce, aad, ciphertext);
        } catch (CryptoException e) {
            throw new CryptoException(FailureReason.DECRYPTION_FAILED, failure, e);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        }
    }
}
