package org.mlsbridge.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.tree.LeafIndex;

/** Hostile PublicMessages are rejected with an MlsException naming the rule; good ones pass. */
class PublicMessageProtectionTest {
    private static final SuiteCrypto CRYPTO =
            CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    private static final LeafIndex ALICE = LeafIndex.of(0);

    private final SignatureKeyPair aliceKey = CRYPTO.generateSignatureKeyPair();
    private final SignatureKeyPair externalKey = CRYPTO.generateSignatureKeyPair();
    private final Optional<Secret> membershipKey = Optional.of(Secret.wrap(new byte[32]));
    private final GroupContext context = new GroupContext(GroupContext.MLS10, CRYPTO.suite(),
            Bytes.of("group".getBytes(StandardCharsets.US_ASCII)), 3, Bytes.wrap(new byte[32]), Bytes.wrap(new byte[32]),
            List.of());
    private final PublicMessageProtection protection = new PublicMessageProtection(CRYPTO);
    private final SignatureKeyLookup lookup = content -> switch (content.sender()) {
        case Sender.Member m when m.leaf().equals(ALICE) -> Optional.of(aliceKey.publicKey());
        case Sender.External e when e.senderIndex() == 0 -> Optional.of(externalKey.publicKey());
        default -> Optional.empty();
    };

    private FramedContent proposal(Sender sender) {
        return new FramedContent(context.groupId(), context.epoch(), sender, Bytes.EMPTY,
                new Content.ProposalContent(new Proposal.Remove(LeafIndex.of(1))));
    }

    private PublicMessage fromAlice() throws MlsException {
        return protection.protect(proposal(new Sender.Member(ALICE)), aliceKey.privateKey(), context, membershipKey);
    }

    private AuthenticatedContent receive(PublicMessage m) throws MlsException {
        return protection.unprotect(m, context, membershipKey, lookup);
    }

    @Test
    void memberProposalRoundTrips() throws MlsException {
        PublicMessage m = fromAlice();
        assertThat(m.membershipTag()).isPresent();
        AuthenticatedContent ac = receive(m);
        assertThat(ac.wireFormat()).isEqualTo(WireFormat.PUBLIC_MESSAGE);
        assertThat(ac.content()).isEqualTo(m.content());
    }

    @Test
    void wrongMembershipTagIsRejectedAndTheNextMessagePasses() throws MlsException {
        PublicMessage m = fromAlice();
        byte[] tag = m.membershipTag().orElseThrow().toByteArray();
        tag[0] ^= 1;
        PublicMessage bad = new PublicMessage(m.content(), m.auth(), Optional.of(Bytes.wrap(tag)));
        assertThatThrownBy(() -> receive(bad)).isInstanceOf(ValidationException.class).hasMessageContaining("§6.2");
        assertThatThrownBy(() -> protection.unprotect(m, context, Optional.of(Secret.wrap(new byte[] {1})), lookup))
                .isInstanceOf(ValidationException.class).hasMessageContaining("membership tag");
        assertThat(receive(fromAlice()).content()).isEqualTo(m.content());
    }

    @Test
    void observerWithoutMembershipKeyStillChecksTheSignature() throws MlsException {
        PublicMessage m = fromAlice();
        assertThat(protection.unprotect(m, context, Optional.empty(), lookup).content()).isEqualTo(m.content());
        byte[] sig = m.auth().signature().toByteArray();
        sig[5] ^= 1;
        PublicMessage forged = new PublicMessage(m.content(), new FramedContentAuthData(Bytes.wrap(sig), Optional.empty()),
                m.membershipTag());
        assertThatThrownBy(() -> protection.unprotect(forged, context, Optional.empty(), lookup))
                .isInstanceOf(ValidationException.class).hasMessageContaining("§6.1");
    }

    @Test
    void signatureOverAnotherGroupContextIsRejected() throws MlsException {
        PublicMessage m = fromAlice();
        GroupContext other = new GroupContext(context.version(), context.cipherSuite(), context.groupId(),
                context.epoch(), Bytes.wrap(new byte[] {1}), context.confirmedTranscriptHash(), context.extensions());
        assertThatThrownBy(() -> protection.unprotect(m, other, Optional.empty(), lookup))
                .isInstanceOf(ValidationException.class).hasMessageContaining("signature");
    }

    @Test
    void wrongEpochOrGroupIsRejected() throws MlsException {
        PublicMessage m = fromAlice();
        GroupContext later = new GroupContext(context.version(), context.cipherSuite(), context.groupId(),
                context.epoch() + 1, context.treeHash(), context.confirmedTranscriptHash(), context.extensions());
        GroupContext otherGroup = new GroupContext(context.version(), context.cipherSuite(), Bytes.of(new byte[] {1}),
                context.epoch(), context.treeHash(), context.confirmedTranscriptHash(), context.extensions());
        assertThatThrownBy(() -> protection.unprotect(m, later, membershipKey, lookup))
                .isInstanceOf(ValidationException.class).hasMessageContaining("epoch");
        assertThatThrownBy(() -> protection.unprotect(m, otherGroup, membershipKey, lookup))
                .isInstanceOf(ValidationException.class).hasMessageContaining("group");
    }

    @Test
    void applicationDataIsRefusedAsPublicMessage() throws MlsException {
        FramedContent app = new FramedContent(context.groupId(), context.epoch(), new Sender.Member(ALICE), Bytes.EMPTY,
                new Content.Application(Bytes.of(new byte[] {1, 2, 3})));
        Bytes sig = ContentSignatures.sign(CRYPTO, aliceKey.privateKey(), WireFormat.PUBLIC_MESSAGE, app, context);
        AuthenticatedContent signed = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, app,
                new FramedContentAuthData(sig, Optional.empty()));
        assertThatThrownBy(() -> protection.protect(signed, context, membershipKey))
                .isInstanceOf(IllegalArgumentException.class);
        Bytes tag = protection.membershipTag(membershipKey.get(), signed, context);
        PublicMessage handMade = new PublicMessage(app, signed.auth(), Optional.of(tag));
        assertThatThrownBy(() -> receive(handMade)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("application");
    }

    @Test
    void externalSenderProposalPassesWithoutMembershipTag() throws MlsException {
        PublicMessage m = protection.protect(proposal(new Sender.External(0)), externalKey.privateKey(), context,
                Optional.empty());
        assertThat(m.membershipTag()).isEmpty();
        assertThat(receive(m).content().sender()).isEqualTo(new Sender.External(0));
    }

    @Test
    void externalSenderMayNotCommit() throws MlsException {
        FramedContent commit = new FramedContent(context.groupId(), context.epoch(), new Sender.External(0), Bytes.EMPTY,
                new Content.CommitContent(new Commit(List.of(), Optional.empty())));
        Bytes sig = ContentSignatures.sign(CRYPTO, externalKey.privateKey(), WireFormat.PUBLIC_MESSAGE, commit, context);
        PublicMessage m = new PublicMessage(commit, new FramedContentAuthData(sig, Optional.of(Bytes.wrap(new byte[32]))),
                Optional.empty());
        assertThatThrownBy(() -> receive(m)).isInstanceOf(ValidationException.class).hasMessageContaining("external");
    }

    @Test
    void unknownSenderIsRejected() throws MlsException {
        PublicMessage m = protection.protect(proposal(new Sender.External(5)), externalKey.privateKey(), context,
                Optional.empty());
        assertThatThrownBy(() -> receive(m)).isInstanceOf(ValidationException.class).hasMessageContaining("unknown sender");
    }

    @Test
    void newMemberProposalMustBeAnAdd() throws MlsException {
        FramedContent remove = proposal(new Sender.NewMemberProposal());
        Bytes sig = ContentSignatures.sign(CRYPTO, externalKey.privateKey(), WireFormat.PUBLIC_MESSAGE, remove, context);
        PublicMessage m = new PublicMessage(remove, new FramedContentAuthData(sig, Optional.empty()), Optional.empty());
        assertThatThrownBy(() -> protection.unprotect(m, context, membershipKey, c -> Optional.of(externalKey.publicKey())))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Add");
    }

    @Test
    void everySingleBitFlipIsRejectedWithAnMlsException() throws MlsException {
        PublicMessage m = fromAlice();
        byte[] wire = MlsMessage.of(m).toByteArray();
        for (int i = 0; i < wire.length; i++) {
            byte[] bad = wire.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            try {
                MlsMessage decoded = MlsMessage.decode(bad);
                if (decoded.body() instanceof PublicMessage pm) {
                    receive(pm);
                }
                throw new AssertionError("flipping byte " + i + " went unnoticed");
            } catch (MlsException expected) {
                // rejected, as it must be
            }
        }
        assertThat(receive(m).content()).isEqualTo(m.content());
    }
}
