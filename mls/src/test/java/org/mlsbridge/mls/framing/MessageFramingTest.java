package org.mlsbridge.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.tree.LeafIndex;

/** The group layer's view: commits in both wire formats, with the transcript hash in between. */
class MessageFramingTest {
    private static final SuiteCrypto CRYPTO =
            CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    private static final LeafIndex BOB = LeafIndex.of(2);

    private final SignatureKeyPair bobKey = CRYPTO.generateSignatureKeyPair();
    private final GroupContext context = new GroupContext(GroupContext.MLS10, CRYPTO.suite(), Bytes.of(new byte[] {5}),
            9, Bytes.wrap(new byte[32]), Bytes.wrap(new byte[32]), List.of());
    private final Secret encryptionSecret = Secret.wrap(new byte[32]);
    private final MessageFraming framing = new MessageFraming(CRYPTO, PaddingPolicy.toMultipleOf(64));
    private final SignatureKeyLookup lookup = c -> c.sender().equals(new Sender.Member(BOB))
            ? Optional.of(bobKey.publicKey()) : Optional.empty();

    private EpochFramingKeys keys() {
        return new EpochFramingKeys(context, Secret.wrap(new byte[32]), Secret.wrap(new byte[32]),
                new SecretTree(CRYPTO, encryptionSecret, 4));
    }

    @Test
    void commitsRoundTripInBothWireFormats() throws MlsException {
        for (WireFormat wf : List.of(WireFormat.PUBLIC_MESSAGE, WireFormat.PRIVATE_MESSAGE)) {
            EpochFramingKeys sender = keys();
            EpochFramingKeys receiver = keys();
            FramedContent commit = new FramedContent(context.groupId(), context.epoch(), new Sender.Member(BOB),
                    Bytes.EMPTY, new Content.CommitContent(new Commit(List.of(), Optional.empty())));
            Bytes signature = framing.sign(wf, commit, bobKey.privateKey(), sender);
            Bytes interim = Bytes.wrap(new byte[32]);
            Bytes confirmed = TranscriptHashes.confirmedAfter(CRYPTO, interim, wf, commit, signature);
            Secret confirmationKey = Secret.wrap(new byte[32]);
            Bytes tag = TranscriptHashes.confirmationTag(CRYPTO, confirmationKey, confirmed);
            AuthenticatedContent signed = new AuthenticatedContent(wf, commit,
                    new FramedContentAuthData(signature, Optional.of(tag)));

            MlsMessage wire = MlsMessage.decode(framing.protect(signed, sender).encode());
            assertThat(wire.wireFormat()).isEqualTo(wf);
            AuthenticatedContent received = framing.unprotect(wire, receiver, lookup);
            assertThat(received).isEqualTo(signed);
            assertThat(TranscriptHashes.confirmedAfter(CRYPTO, interim, received)).isEqualTo(confirmed);
            TranscriptHashes.verifyConfirmationTag(CRYPTO, confirmationKey, confirmed,
                    received.auth().confirmationTag().orElseThrow());
        }
    }

    @Test
    void applicationMessagesRoundTrip() throws MlsException {
        EpochFramingKeys sender = keys();
        EpochFramingKeys receiver = keys();
        FramedContent app = new FramedContent(context.groupId(), context.epoch(), new Sender.Member(BOB),
                Bytes.of(new byte[] {42}), new Content.Application(Bytes.of(new byte[] {1, 2, 3})));
        for (int i = 0; i < 3; i++) {
            MlsMessage m = framing.protect(WireFormat.PRIVATE_MESSAGE, app, bobKey.privateKey(), sender);
            assertThat(framing.unprotect(m, receiver, lookup).content()).isEqualTo(app);
        }
        assertThatThrownBy(() -> framing.protect(WireFormat.PUBLIC_MESSAGE, app, bobKey.privateKey(), sender))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesWithoutFramedContentAreRejected() {
        GroupInfo info = new GroupInfo(context, List.of(), Bytes.EMPTY, BOB, Bytes.EMPTY);
        assertThatThrownBy(() -> framing.unprotect(MlsMessage.of(info), keys(), lookup))
                .isInstanceOf(ValidationException.class);
    }
}
