package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * Every bad message is rejected with a reason naming the rule, leaves Bob's group exactly as
 * it was, and the next good message is processed normally.
 */
class GroupRejectionTest {
    private static final PublicMessageProtection PUBLIC = new PublicMessageProtection(TestCommitter.CRYPTO);

    private GroupFixture f;

    @BeforeEach
    void setUp() throws MlsException {
        f = new GroupFixture();
    }

    private void assertRejectedThenRecovers(MlsMessage bad, String reason, FailureReason kind) throws MlsException {
        GroupState before = f.bobGroup.state();
        assertThatThrownBy(() -> f.bobGroup.process(bad)).isInstanceOf(MlsException.class)
                .hasMessageContaining(reason).hasMessageContaining("RFC 9420")
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(kind);
        assertThat(f.bobGroup.state()).isSameAs(before);
        GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
        ApplicationMessage m = (ApplicationMessage) f.bobGroup.process(TestCommitter.application(f.aliceState, "ok"));
        assertThat(m.sender()).isEqualTo(LeafIndex.of(0));
    }

    private MlsMessage aliceSigned(Bytes groupId, long epoch, Proposal proposal) throws MlsException {
        GroupState s = f.aliceState;
        FramedContent fc = new FramedContent(groupId, epoch, new Sender.Member(s.ownLeaf()), Bytes.EMPTY,
                new Content.ProposalContent(proposal));
        return MlsMessage.of(PUBLIC.protect(fc, s.signaturePrivateKey(), s.context(),
                Optional.of(s.epochSecrets().membershipKey())));
    }

    private static Bytes flip(Bytes b) {
        byte[] a = b.toByteArray();
        a[a.length / 2] ^= 1;
        return Bytes.wrap(a);
    }

    @Test
    void wrongEpoch() throws MlsException {
        MlsMessage bad = aliceSigned(f.aliceState.groupId(), f.aliceState.epoch() + 1, new Proposal.Remove(2));
        assertRejectedThenRecovers(bad, "epoch", FailureReason.WRONG_EPOCH);
    }

    @Test
    void wrongGroupId() throws MlsException {
        MlsMessage bad = aliceSigned(Bytes.fromHex("0badbeef"), f.aliceState.epoch(), new Proposal.Remove(2));
        assertRejectedThenRecovers(bad, "group", FailureReason.WRONG_GROUP);
    }

    @Test
    void badMembershipTag() throws MlsException {
        PublicMessage good = (PublicMessage) TestCommitter.propose(f.aliceState, new Proposal.Remove(2)).body();
        MlsMessage bad = MlsMessage.of(new PublicMessage(good.content(), good.auth(),
                Optional.of(flip(good.membershipTag().orElseThrow()))));
        assertRejectedThenRecovers(bad, "membership tag", FailureReason.BAD_MEMBERSHIP_TAG);
    }

    @Test
    void badSignature() throws MlsException {
        PublicMessage good = (PublicMessage) TestCommitter.propose(f.aliceState, new Proposal.Remove(2)).body();
        AuthenticatedContent forged = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, good.content(),
                new FramedContentAuthData(flip(good.auth().signature()), Optional.empty()));
        GroupState s = f.aliceState;
        MlsMessage bad = MlsMessage.of(PUBLIC.protect(forged, s.context(), Optional.of(s.epochSecrets().membershipKey())));
        assertRejectedThenRecovers(bad, "signature", FailureReason.BAD_SIGNATURE);
    }

    @Test
    void confirmationTagMismatch() throws MlsException {
        MlsMessage bad = TestCommitter.commit(f.aliceState, List.of(), true, GroupRejectionTest::flip).message();
        assertRejectedThenRecovers(bad, "confirmation tag", FailureReason.BAD_CONFIRMATION_TAG);
    }

    @Test
    void proposalReferenceNotInCache() throws MlsException {
        ProposalOrRef unknown = new ProposalOrRef.ByReference(Bytes.wrap(new byte[32]));
        MlsMessage bad = TestCommitter.commit(f.aliceState, List.of(unknown), true, UnaryOperator.identity()).message();
        assertRejectedThenRecovers(bad, "not received", FailureReason.PROTOCOL);
    }

    @Test
    void missingRequiredPath() throws MlsException {
        MlsMessage bad = TestCommitter.commit(f.aliceState, List.of(TestCommitter.byValue(new Proposal.Remove(2))),
                false, UnaryOperator.identity()).message();
        assertRejectedThenRecovers(bad, "must have a path", FailureReason.PROTOCOL);
    }

    @Test
    void commitFromRemovedMember() throws MlsException {
        GroupState carolBefore = f.carolGroup.state();
        MlsMessage stale = TestCommitter.commit(carolBefore, List.of()).message();
        GroupFixture.processAndMerge(f.bobGroup,
                f.aliceCommits(List.of(TestCommitter.byValue(new Proposal.Remove(2)))));

        GroupState s = f.bobGroup.state();
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.Member(LeafIndex.of(2)), Bytes.EMPTY,
                new Content.CommitContent(new Commit(List.of(), Optional.empty())));
        Bytes signature = ContentSignatures.sign(TestCommitter.CRYPTO, f.carol.signature().signaturePrivateKey(),
                WireFormat.PUBLIC_MESSAGE, fc, s.context());
        AuthenticatedContent forged = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, fc,
                new FramedContentAuthData(signature, Optional.of(Bytes.wrap(new byte[32]))));
        // Even with the membership key (as if leaked), a removed member's leaf signs nothing any more.
        MlsMessage bad = MlsMessage.of(PUBLIC.protect(forged, s.context(), Optional.of(s.epochSecrets().membershipKey())));
        assertRejectedThenRecovers(bad, "unknown sender", FailureReason.UNKNOWN_SENDER);
        assertThatThrownBy(() -> f.bobGroup.process(stale)).isInstanceOf(MlsException.class)
                .hasMessageContaining("epoch").extracting(e -> ((MlsException) e).reason())
                .isEqualTo(FailureReason.WRONG_EPOCH);
    }

    @Test
    void notAGroupMessage() throws MlsException {
        MlsMessage keyPackage = MlsMessage.of(f.carol.bundle().keyPackage());
        assertRejectedThenRecovers(keyPackage, "KEY_PACKAGE", FailureReason.PROTOCOL);
    }

    @Test
    void rejectedStagedCommitCanBeDroppedAndAnotherMerged() throws MlsException {
        TestCommitter.Committed first = TestCommitter.commit(f.aliceState, List.of());
        StagedCommit dropped = (StagedCommit) f.bobGroup.process(first.message());
        assertThat(dropped.next()).isPresent();
        assertThat(f.bobGroup.epoch()).isEqualTo(f.aliceState.epoch());
        MlsMessage winner = f.aliceCommits(List.of());
        GroupFixture.processAndMerge(f.bobGroup, winner);
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
        assertThatThrownBy(() -> f.bobGroup.merge(dropped)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tamperedPrivateMessageBurnsNoKey() throws MlsException {
        MlsMessage good = TestCommitter.application(f.aliceState, "intact");
        org.mlsbridge.mls.message.PrivateMessage pm = (org.mlsbridge.mls.message.PrivateMessage) good.body();
        MlsMessage bad = MlsMessage.of(new org.mlsbridge.mls.message.PrivateMessage(pm.groupId(), pm.epoch(),
                pm.contentType(), pm.authenticatedData(), pm.encryptedSenderData(), flip(pm.ciphertext())));
        GroupState before = f.bobGroup.state();
        assertThatThrownBy(() -> f.bobGroup.process(bad)).isInstanceOf(MlsException.class)
                .hasMessageContaining("does not decrypt").extracting(e -> ((MlsException) e).reason())
                .isEqualTo(FailureReason.DECRYPTION_FAILED);
        assertThat(f.bobGroup.state()).isSameAs(before);
        ApplicationMessage m = (ApplicationMessage) f.bobGroup.process(good);
        assertThat(new String(m.data().toByteArray(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("intact");
    }
}
