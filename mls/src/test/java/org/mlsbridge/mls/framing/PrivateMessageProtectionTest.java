package org.mlsbridge.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.secrets.ContentKind;
import org.mlsbridge.mls.secrets.KeyAndNonce;
import org.mlsbridge.mls.secrets.RatchetKey;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.secrets.SenderDataKeys;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * Hostile PrivateMessages: each is rejected with an MlsException, and the secret tree is left as
 * it was, so the genuine message for the same generation (or the next one) still decrypts.
 */
class PrivateMessageProtectionTest {
    private static final SuiteCrypto CRYPTO =
            CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    private static final LeafIndex ALICE = LeafIndex.of(1);
    private static final int LEAVES = 4;

    private final Secret encryptionSecret = Secret.wrap(filled(32, 3));
    private final Secret senderDataSecret = Secret.wrap(filled(32, 5));
    private final SignatureKeyPair aliceKey = CRYPTO.generateSignatureKeyPair();
    private final GroupContext context = new GroupContext(GroupContext.MLS10, CRYPTO.suite(),
            Bytes.of("group".getBytes(StandardCharsets.US_ASCII)), 7, Bytes.wrap(filled(32, 1)),
            Bytes.wrap(filled(32, 2)), List.of());
    private final PrivateMessageProtection protection = new PrivateMessageProtection(CRYPTO, PaddingPolicy.toMultipleOf(16));
    private final SignatureKeyLookup lookup = content -> content.sender().equals(new Sender.Member(ALICE))
            ? Optional.of(aliceKey.publicKey()) : Optional.empty();

    private SecretTree senderTree;
    private SecretTree receiverTree;

    @BeforeEach
    void setUp() {
        senderTree = new SecretTree(CRYPTO, encryptionSecret, LEAVES);
        receiverTree = new SecretTree(CRYPTO, encryptionSecret, LEAVES);
    }

    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private FramedContent application(String text) {
        return new FramedContent(context.groupId(), context.epoch(), new Sender.Member(ALICE), Bytes.EMPTY,
                new Content.Application(Bytes.of(text.getBytes(StandardCharsets.UTF_8))));
    }

    private PrivateMessage send(String text) throws MlsException {
        return protection.protect(application(text), aliceKey.privateKey(), context, senderTree, senderDataSecret);
    }

    private String receive(PrivateMessage message) throws MlsException {
        AuthenticatedContent ac = protection.unprotect(message, context, receiverTree, senderDataSecret, lookup);
        Content.Application app = (Content.Application) ac.content().content();
        return new String(app.data().toByteArray(), StandardCharsets.UTF_8);
    }

    private static Bytes flipLastByte(Bytes b) {
        byte[] a = b.toByteArray();
        a[a.length - 1] ^= 1;
        return Bytes.wrap(a);
    }

    @Test
    void roundTripPadsToTheBlockSize() throws MlsException {
        PrivateMessage m = send("hello");
        assertThat((m.ciphertext().length() - 16) % 16).isZero();
        assertThat(receive(m)).isEqualTo("hello");
        AuthenticatedContent ac = protection.unprotect(send("again"), context, receiverTree, senderDataSecret, lookup);
        assertThat(ac.wireFormat()).isEqualTo(WireFormat.PRIVATE_MESSAGE);
        assertThat(ac.content().sender()).isEqualTo(new Sender.Member(ALICE));
    }

    @Test
    void tamperedCiphertextIsRejectedAndTheGenuineMessageStillDecrypts() throws MlsException {
        PrivateMessage m = send("one");
        PrivateMessage tampered = new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), m.authenticatedData(),
                m.encryptedSenderData(), flipLastByte(m.ciphertext()));
        // The sender-data key hangs off the ciphertext sample; tampering the tag end keeps the sample.
        assertThatThrownBy(() -> receive(tampered)).isInstanceOf(CryptoException.class).hasMessageContaining("§6.3.1");
        assertThat(receive(m)).isEqualTo("one");
        assertThat(receive(send("two"))).isEqualTo("two");
    }

    @Test
    void tamperedSenderDataIsRejected() throws MlsException {
        PrivateMessage m = send("one");
        PrivateMessage tampered = new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), m.authenticatedData(),
                flipLastByte(m.encryptedSenderData()), m.ciphertext());
        assertThatThrownBy(() -> receive(tampered)).isInstanceOf(CryptoException.class).hasMessageContaining("§6.3.2");
        assertThat(receive(m)).isEqualTo("one");
    }

    @Test
    void tamperedAuthenticatedDataIsRejected() throws MlsException {
        PrivateMessage m = send("one");
        PrivateMessage tampered = new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), Bytes.wrap(new byte[] {1}),
                m.encryptedSenderData(), m.ciphertext());
        assertThatThrownBy(() -> receive(tampered)).isInstanceOf(CryptoException.class);
        assertThat(receive(m)).isEqualTo("one");
    }

    @Test
    void replayedGenerationIsRejectedAndTheNextMessageStillDecrypts() throws MlsException {
        PrivateMessage m = send("one");
        assertThat(receive(m)).isEqualTo("one");
        assertThatThrownBy(() -> receive(m)).isInstanceOf(ValidationException.class);
        assertThat(receive(send("two"))).isEqualTo("two");
    }

    @Test
    void nonZeroPaddingIsRejectedAndTheGenuineMessageStillDecrypts() throws MlsException {
        FramedContent fc = application("padded");
        Bytes signature = ContentSignatures.sign(CRYPTO, aliceKey.privateKey(), WireFormat.PRIVATE_MESSAGE, fc, context);
        FramedContentAuthData auth = new FramedContentAuthData(signature, Optional.empty());
        byte[] plaintext = new PrivateMessageContent(fc.content(), auth, 8).toByteArray();
        plaintext[plaintext.length - 3] = 1;

        // A second sender tree yields the same generation-0 key the genuine message below uses.
        SecretTree forgerTree = new SecretTree(CRYPTO, encryptionSecret, LEAVES);
        PrivateMessage bad = encryptRaw(forgerTree, ContentType.APPLICATION, plaintext);
        assertThatThrownBy(() -> receive(bad)).isInstanceOf(DecodeException.class).hasMessageContaining("§6.3.1");
        assertThat(receive(send("padded"))).isEqualTo("padded");
    }

    @Test
    void forgedSignatureDoesNotBurnTheKey() throws MlsException {
        SignatureKeyPair mallory = CRYPTO.generateSignatureKeyPair();
        SecretTree malloryTree = new SecretTree(CRYPTO, encryptionSecret, LEAVES);
        PrivateMessage forged = protection.protect(application("forged"), mallory.privateKey(), context, malloryTree,
                senderDataSecret);
        assertThatThrownBy(() -> receive(forged)).isInstanceOf(ValidationException.class).hasMessageContaining("§6.1");
        assertThat(receive(send("genuine"))).isEqualTo("genuine");
    }

    @Test
    void unknownSenderIsRejected() throws MlsException {
        PrivateMessage m = send("one");
        assertThatThrownBy(() -> protection.unprotect(m, context, receiverTree, senderDataSecret, c -> Optional.empty()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not a member");
        assertThat(receive(m)).isEqualTo("one");
    }

    @Test
    void wrongEpochAndGroupAreRejected() throws MlsException {
        PrivateMessage m = send("one");
        PrivateMessage otherEpoch = new PrivateMessage(m.groupId(), m.epoch() + 1, m.contentType(),
                m.authenticatedData(), m.encryptedSenderData(), m.ciphertext());
        PrivateMessage otherGroup = new PrivateMessage(Bytes.of(new byte[] {9}), m.epoch(), m.contentType(),
                m.authenticatedData(), m.encryptedSenderData(), m.ciphertext());
        assertThatThrownBy(() -> receive(otherEpoch)).isInstanceOf(ValidationException.class).hasMessageContaining("epoch");
        assertThatThrownBy(() -> receive(otherGroup)).isInstanceOf(ValidationException.class).hasMessageContaining("group");
        assertThat(receive(m)).isEqualTo("one");
    }

    @Test
    void wrongContentTypeInHeaderIsRejected() throws MlsException {
        PrivateMessage m = send("one");
        PrivateMessage relabelled = new PrivateMessage(m.groupId(), m.epoch(), ContentType.PROPOSAL,
                m.authenticatedData(), m.encryptedSenderData(), m.ciphertext());
        assertThatThrownBy(() -> receive(relabelled)).isInstanceOf(MlsException.class);
        assertThat(receive(m)).isEqualTo("one");
    }

    @Test
    void senderOutsideTheTreeIsRejected() throws MlsException {
        SecretTree big = new SecretTree(CRYPTO, encryptionSecret, 8);
        FramedContent fc = new FramedContent(context.groupId(), context.epoch(), new Sender.Member(LeafIndex.of(6)),
                Bytes.EMPTY, new Content.Application(Bytes.of(new byte[] {1})));
        PrivateMessage m = protection.protect(fc, aliceKey.privateKey(), context, big, senderDataSecret);
        assertThatThrownBy(() -> receive(m)).isInstanceOf(ValidationException.class).hasMessageContaining("§6.3.2");
    }

    @Test
    void proposalsUseTheHandshakeRatchet() throws MlsException {
        FramedContent fc = new FramedContent(context.groupId(), context.epoch(), new Sender.Member(ALICE), Bytes.EMPTY,
                new Content.ProposalContent(new Proposal.Remove(LeafIndex.of(2))));
        PrivateMessage m = protection.protect(fc, aliceKey.privateKey(), context, senderTree, senderDataSecret);
        assertThat(senderTree.nextGeneration(ALICE, ContentKind.HANDSHAKE)).isEqualTo(1);
        assertThat(senderTree.nextGeneration(ALICE, ContentKind.APPLICATION)).isZero();
        AuthenticatedContent ac = protection.unprotect(m, context, receiverTree, senderDataSecret, lookup);
        assertThat(ac.content()).isEqualTo(fc);
    }

    /** Encrypts an arbitrary plaintext exactly as {@link PrivateMessageProtection#protect} would. */
    private PrivateMessage encryptRaw(SecretTree tree, ContentType type, byte[] plaintext) {
        Bytes guard = Bytes.wrap(new byte[] {4, 3, 2, 1});
        RatchetKey key = tree.nextKey(ALICE, PrivateMessageProtection.kindOf(type));
        byte[] aad = new PrivateContentAad(context.groupId(), context.epoch(), type, Bytes.EMPTY).toByteArray();
        byte[] ciphertext = CRYPTO.aeadSeal(key.key().copy(), key.guardedNonce(guard), aad, plaintext);
        byte[] senderData = new SenderData(ALICE, key.generation(), guard).toByteArray();
        KeyAndNonce sd = SenderDataKeys.derive(CRYPTO, senderDataSecret, ciphertext);
        byte[] encryptedSenderData = CRYPTO.aeadSeal(sd.key().copy(), sd.nonce().copy(),
                new SenderDataAad(context.groupId(), context.epoch(), type).toByteArray(), senderData);
        return new PrivateMessage(context.groupId(), context.epoch(), type, Bytes.EMPTY, Bytes.wrap(encryptedSenderData),
                Bytes.wrap(ciphertext));
    }

    @Test
    void paddingPolicies() {
        assertThat(PaddingPolicy.none().paddingFor(13)).isZero();
        assertThat(PaddingPolicy.toMultipleOf(32).paddingFor(13)).isEqualTo(19);
        assertThat(PaddingPolicy.toMultipleOf(32).paddingFor(64)).isZero();
        assertThatThrownBy(() -> PaddingPolicy.toMultipleOf(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paddingOnlyZerosDecodes() throws DecodeException {
        FramedContentAuthData auth = new FramedContentAuthData(Bytes.wrap(new byte[] {7}), Optional.empty());
        byte[] plain = new PrivateMessageContent(new Content.Application(Bytes.wrap(new byte[] {1, 2})), auth, 5)
                .toByteArray();
        assertThat(PrivateMessageContent.decode(plain, ContentType.APPLICATION).paddingLength()).isEqualTo(5);
        byte[] bad = Arrays.copyOf(plain, plain.length);
        bad[bad.length - 1] = (byte) 0x80;
        assertThatThrownBy(() -> PrivateMessageContent.decode(bad, ContentType.APPLICATION))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void truncatedFieldsAreMlsExceptions() throws MlsException {
        PrivateMessage m = send("one");
        List<PrivateMessage> hostile = List.of(
                new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), m.authenticatedData(), Bytes.EMPTY,
                        m.ciphertext()),
                new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), m.authenticatedData(),
                        m.encryptedSenderData(), Bytes.EMPTY),
                new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), m.authenticatedData(),
                        Bytes.wrap(new byte[3]), Bytes.wrap(new byte[5])),
                new PrivateMessage(m.groupId(), m.epoch(), m.contentType(), m.authenticatedData(),
                        m.encryptedSenderData(), Bytes.wrap(Arrays.copyOf(m.ciphertext().toByteArray(), 40))));
        for (PrivateMessage h : hostile) {
            assertThatThrownBy(() -> receive(h)).isInstanceOf(MlsException.class);
        }
        assertThat(receive(m)).isEqualTo("one");
    }

    @Test
    void everySingleBitFlipIsRejectedWithAnMlsExceptionAndConsumesNothing() throws MlsException {
        PrivateMessage m = send("flip");
        byte[] wire = MlsMessage.of(m).toByteArray();
        for (int i = 0; i < wire.length; i++) {
            byte[] bad = wire.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            try {
                MlsMessage decoded = MlsMessage.decode(bad);
                if (decoded.body() instanceof PrivateMessage pm) {
                    receive(pm);
                }
                throw new AssertionError("flipping byte " + i + " went unnoticed");
            } catch (MlsException expected) {
                // rejected, as it must be
            }
        }
        assertThat(receive(m)).isEqualTo("flip");
    }
}
