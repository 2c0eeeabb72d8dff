package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.SignatureKeyPair;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;

class GroupReceiveTest {
    @Test
    void joinersShareTheEpochWithTheCommitter() throws MlsException {
        GroupFixture f = new GroupFixture();
        assertThat(f.bobGroup.epoch()).isEqualTo(1);
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
        assertThat(f.carolGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
        assertThat(f.bobGroup.state().ownLeaf()).isEqualTo(LeafIndex.of(1));
        assertThat(f.bobGroup.state().privateKeys().size()).isGreaterThan(1);
    }

    @Test
    void followsCommitsAndReadsApplicationMessages() throws MlsException {
        GroupFixture f = new GroupFixture();
        StagedCommit staged = (StagedCommit) f.bobGroup.process(f.aliceCommits(List.of()));
        assertThat(f.bobGroup.epoch()).as("nothing changes before merge").isEqualTo(1);
        f.bobGroup.merge(staged);
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());

        ApplicationMessage m = (ApplicationMessage) f.bobGroup.process(TestCommitter.application(f.aliceState, "hi"));
        assertThat(new String(m.data().toByteArray(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(m.sender()).isEqualTo(LeafIndex.of(0));
        assertThat(m.credential()).isEqualTo(f.alice.signature().credential());
        assertThat(m.epoch()).isEqualTo(2);
    }

    @Test
    void commitsByReferenceRemoveAMember() throws MlsException {
        GroupFixture f = new GroupFixture();
        MlsMessage proposal = f.aliceProposes(new Proposal.Remove(LeafIndex.of(2)));
        ProposalReceived received = (ProposalReceived) f.bobGroup.process(proposal);
        assertThat(f.bobGroup.state().proposals()).containsKey(received.ref());
        MlsMessage commit = f.aliceCommits(List.of(new ProposalOrRef.ByReference(received.ref())));

        StagedCommit bobs = GroupFixture.processAndMerge(f.bobGroup, commit);
        assertThat(bobs.removedMembers()).containsExactly(LeafIndex.of(2));
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
        assertThat(f.bobGroup.state().proposals()).isEmpty();

        f.carolGroup.process(proposal);
        StagedCommit carols = (StagedCommit) f.carolGroup.process(commit);
        assertThat(carols.removesSelf()).isTrue();
        f.carolGroup.merge(carols);
        assertThat(f.carolGroup.isActive()).isFalse();
    }

    @Test
    void lateApplicationMessagesAreReadWithinTheWindow() throws MlsException {
        GroupFixture f = new GroupFixture();
        MlsMessage late = TestCommitter.application(f.aliceState, "late");
        GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        ApplicationMessage m = (ApplicationMessage) f.bobGroup.process(late);
        assertThat(m.epoch()).isEqualTo(1);
        assertThatThrownBy(() -> f.bobGroup.process(late)).isInstanceOf(MlsException.class)
                .hasMessageContaining("replay").extracting(e -> ((MlsException) e).reason())
                .isEqualTo(FailureReason.REPLAY);
    }

    @Test
    void noPastEpochsMeansLateMessagesAreLost() throws MlsException {
        GroupFixture f = new GroupFixture(GroupConfig.DEFAULT.withPastEpochsKept(0));
        MlsMessage late = TestCommitter.application(f.aliceState, "late");
        GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        assertThat(f.bobGroup.state().pastEpochs()).isEmpty();
        assertThatThrownBy(() -> f.bobGroup.process(late)).isInstanceOf(MlsException.class)
                .hasMessageContaining("epoch").extracting(e -> ((MlsException) e).reason())
                .isEqualTo(FailureReason.WRONG_EPOCH);
    }

    @Test
    void pastEpochWindowIsBounded() throws MlsException {
        GroupFixture f = new GroupFixture();
        for (int i = 0; i < GroupConfig.DEFAULT_PAST_EPOCHS + 2; i++) {
            GroupFixture.processAndMerge(f.bobGroup, f.aliceCommits(List.of()));
        }
        assertThat(f.bobGroup.state().pastEpochs()).hasSize(GroupConfig.DEFAULT_PAST_EPOCHS);
        assertThat(f.bobGroup.state().pastEpochs().get(0).epoch()).isEqualTo(f.bobGroup.epoch() - 1);
    }

    @Test
    void externalSenderProposalsAreCommitted() throws MlsException {
        GroupFixture f = new GroupFixture();
        SignatureKeyPair bot = TestCommitter.CRYPTO.generateSignatureKeyPair();
        ExternalSender sender = new ExternalSender(bot.publicKey(), new Credential.BasicCredential(Bytes.fromHex("b0")));
        MlsMessage gce = f.aliceCommits(List.of(TestCommitter.byValue(
                new Proposal.GroupContextExtensions(List.of(ExternalSender.toExtension(List.of(sender)))))));
        GroupFixture.processAndMerge(f.bobGroup, gce);

        GroupState s = f.aliceState;
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.External(0), Bytes.EMPTY,
                new Content.ProposalContent(new Proposal.Remove(LeafIndex.of(2))));
        MlsMessage fromBot = MlsMessage.of(new PublicMessageProtection(TestCommitter.CRYPTO).protect(fc,
                bot.privateKey(), s.context(), Optional.empty()));
        ProposalReceived received = (ProposalReceived) f.bobGroup.process(fromBot);
        assertThat(received.sender()).isEqualTo(new Sender.External(0));
        f.aliceState = new MessageProcessor(GroupConfig.DEFAULT, PskLookup.none()).process(f.aliceState, fromBot).state();
        MlsMessage commit = f.aliceCommits(List.of(new ProposalOrRef.ByReference(received.ref())));
        StagedCommit staged = GroupFixture.processAndMerge(f.bobGroup, commit);
        assertThat(staged.removedMembers()).containsExactly(LeafIndex.of(2));
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
    }

    @Test
    void newMemberProposalAddIsCommittedByReference() throws MlsException {
        GroupFixture f = new GroupFixture();
        TestCommitter.Identity dave = TestCommitter.identity("dave");
        GroupState s = f.aliceState;
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.NewMemberProposal(), Bytes.EMPTY,
                new Content.ProposalContent(new Proposal.Add(dave.bundle().keyPackage())));
        MlsMessage request = MlsMessage.of(new PublicMessageProtection(TestCommitter.CRYPTO).protect(fc,
                dave.signature().signaturePrivateKey(), s.context(), Optional.empty()));
        ProposalReceived received = (ProposalReceived) f.bobGroup.process(request);
        assertThat(received.sender()).isEqualTo(new Sender.NewMemberProposal());
        f.aliceState = new MessageProcessor(GroupConfig.DEFAULT, PskLookup.none()).process(f.aliceState, request).state();
        StagedCommit staged = GroupFixture.processAndMerge(f.bobGroup,
                f.aliceCommits(List.of(new ProposalOrRef.ByReference(received.ref()))));
        assertThat(staged.addedMembers()).containsExactly(LeafIndex.of(3));
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(f.aliceState.epochAuthenticator());
    }

    @Test
    void newMemberProposalMayOnlyAdd() throws MlsException {
        GroupFixture f = new GroupFixture();
        TestCommitter.Identity dave = TestCommitter.identity("dave");
        GroupState s = f.aliceState;
        FramedContent fc = new FramedContent(s.groupId(), s.epoch(), new Sender.NewMemberProposal(), Bytes.EMPTY,
                new Content.ProposalContent(new Proposal.Remove(LeafIndex.of(2))));
        MlsMessage bad = MlsMessage.of(new PublicMessageProtection(TestCommitter.CRYPTO).protect(fc,
                dave.signature().signaturePrivateKey(), s.context(), Optional.empty()));
        GroupState before = f.bobGroup.state();
        assertThatThrownBy(() -> f.bobGroup.process(bad)).isInstanceOf(MlsException.class)
                .hasMessageContaining("RFC 9420");
        assertThat(f.bobGroup.state()).isSameAs(before);
    }
}
