package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.group.Clients.Client;

class GroupLifecycleTest {
    @Test
    void createAddWelcomeAndTalk() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Client alice = cs.get(0);
        Client bob = cs.get(1);
        Client carol = cs.get(2);
        assertThat(alice.group.epoch()).isEqualTo(1);
        assertThat(bob.group.state().ownLeaf()).isEqualTo(LeafIndex.of(1));
        assertThat(carol.group.members()).extracting(Member::credential).containsExactly(
                alice.identity.credential(), bob.identity.credential(), carol.identity.credential());
        assertThat(carol.group.members()).extracting(Member::leaf).containsExactly(
                LeafIndex.of(0), LeafIndex.of(1), LeafIndex.of(2));

        MlsMessage hi = alice.say("hi all");
        assertThat(bob.read(hi)).isEqualTo("hi all");
        assertThat(carol.read(hi)).isEqualTo("hi all");
        assertThat(alice.group.process(hi)).isEqualTo(new OwnMessage(ContentType.APPLICATION, 1));
        MlsMessage back = bob.say("hello alice");
        assertThat(alice.read(back)).isEqualTo("hello alice");
        assertThat(carol.read(back)).isEqualTo("hello alice");
    }

    @Test
    void ownCommitEchoIsMergedNotRejected() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client alice = cs.get(0);
        CommitOutput out = alice.group.commit(CommitOptions.empty());
        assertThat(alice.group.epoch()).as("pending until the echo").isEqualTo(1);
        assertThat(alice.group.pendingCommit()).contains(out.pending());
        ProcessedMessage echo = alice.group.process(out.commit());
        assertThat(echo).isSameAs(out.pending());
        alice.group.merge((StagedCommit) echo);
        cs.get(1).receive(out.commit());
        Clients.assertAgree(cs);
        assertThat(alice.group.epoch()).isEqualTo(2);
        assertThat(alice.group.pendingCommit()).isEmpty();
    }

    @Test
    void explicitMergeOfPendingCommit() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        CommitOutput out = cs.get(0).group.commit(CommitOptions.empty().withAuthenticatedData(Bytes.of(new byte[] {7})));
        cs.get(0).group.mergePendingCommit();
        assertThat(cs.get(0).group.process(out.commit())).isEqualTo(new OwnMessage(ContentType.COMMIT, 1));
        StagedCommit bobs = (StagedCommit) cs.get(1).receive(out.commit());
        assertThat(bobs.authenticatedData()).isEqualTo(Bytes.of(new byte[] {7}));
        Clients.assertAgree(cs);
    }

    @Test
    void losingCommitIsDiscardedAndRetriedOnTheNewEpoch() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Client alice = cs.get(0);
        Client bob = cs.get(1);
        CommitOutput alices = alice.group.commit(CommitOptions.empty());
        CommitOutput bobs = bob.group.commit(CommitOptions.empty());
        // The delivery service orders Bob's first: everyone merges it, Alice's pending one is dropped.
        Clients.deliver(cs, bobs.commit());
        assertThat(alice.group.pendingCommit()).isEmpty();
        assertThatThrownBy(() -> cs.get(2).group.process(alices.commit())).isInstanceOf(MlsException.class);
        assertThat(alice.group.process(alices.commit())).as("the lost commit's late echo")
                .isEqualTo(new OwnMessage(ContentType.COMMIT, 1));
        Clients.assertAgree(cs);
        CommitOutput retry = alice.group.commit(CommitOptions.empty());
        Clients.deliver(cs, retry.commit());
        Clients.assertAgree(cs);
        assertThat(alice.group.epoch()).isEqualTo(3);
    }

    @Test
    void clearPendingCommitKeepsTheGroupWorking() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        cs.get(0).group.commit(CommitOptions.empty());
        cs.get(0).group.clearPendingCommit();
        assertThat(cs.get(0).group.pendingCommit()).isEmpty();
        MlsMessage m = cs.get(0).say("still epoch 1");
        assertThat(cs.get(1).read(m)).isEqualTo("still epoch 1");
        CommitOutput out = cs.get(0).group.commit(CommitOptions.empty());
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void welcomeWithTreeOutOfBand() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client dave = new Client("dave");
        CommitOutput out = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(dave.bundle.keyPackage()))
                .withRatchetTreeInGroupInfo(false));
        Clients.deliver(cs, out.commit());
        GroupInfo info = out.groupInfo();
        assertThat(info.extensions()).noneMatch(e -> e.type() == org.mlsbridge.mls.message.Extension.RATCHET_TREE);
        assertThatThrownBy(() -> dave.join(out.welcome().orElseThrow())).hasMessageContaining("§12.4.3.3");
        dave.group = MlsGroup.join(out.welcome().orElseThrow(), JoinKeys.of(dave.bundle, dave.identity),
                Optional.of(cs.get(0).group.state().tree().toNodes()), GroupConfig.DEFAULT, PskLookup.none());
        List<Client> all = List.of(cs.get(0), cs.get(1), dave);
        Clients.assertAgree(all);
        assertThat(cs.get(1).read(dave.say("hello from dave"))).isEqualTo("hello from dave");
    }

    @Test
    void privateHandshakesWithPadding() throws MlsException {
        List<Client> cs = Clients.clients("alice", "bob", "carol");
        GroupConfig priv = GroupConfig.DEFAULT.withHandshakes(HandshakeWireFormat.PRIVATE)
                .withPadding(org.mlsbridge.mls.framing.PaddingPolicy.toMultipleOf(64));
        cs.forEach(c -> c.config = priv);
        Client alice = cs.get(0);
        alice.create(List.of());
        CommitOutput out = alice.group.commit(CommitOptions.of(new Proposal.Add(cs.get(1).bundle.keyPackage())));
        Clients.deliver(List.of(alice), out.commit());
        cs.get(1).join(out.welcome().orElseThrow());
        SentProposal add = cs.get(1).group.propose(new Proposal.Add(cs.get(2).bundle.keyPackage()));
        assertThat(add.message().wireFormat()).isEqualTo(org.mlsbridge.mls.message.WireFormat.PRIVATE_MESSAGE);
        assertThat(cs.get(1).group.process(add.message())).isInstanceOf(OwnMessage.class);
        assertThat(alice.group.process(add.message())).isInstanceOf(ProposalReceived.class);
        CommitOutput second = alice.group.commit(CommitOptions.allCachedProposals());
        assertThat(second.commit().wireFormat()).isEqualTo(org.mlsbridge.mls.message.WireFormat.PRIVATE_MESSAGE);
        Clients.deliver(cs.subList(0, 2), second.commit());
        cs.get(2).join(second.welcome().orElseThrow());
        Clients.assertAgree(cs);
        MlsMessage shortOne = alice.say("a");
        MlsMessage longer = alice.say("abcdefghij");
        assertThat(shortOne.toByteArray().length).as("padded to the same size").isEqualTo(longer.toByteArray().length);
        assertThat(cs.get(2).read(shortOne)).isEqualTo("a");
        assertThat(cs.get(1).read(longer)).isEqualTo("abcdefghij");
    }

    @Test
    void applicationMessagesCarryAuthenticatedData() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        MlsMessage m = cs.get(1).group.encrypt(Bytes.of("body".getBytes()), Bytes.of("aad".getBytes()));
        ApplicationMessage a = (ApplicationMessage) cs.get(0).group.process(m);
        assertThat(a.authenticatedData()).isEqualTo(Bytes.of("aad".getBytes()));
        assertThat(a.sender()).isEqualTo(LeafIndex.of(1));
        assertThat(cs.get(1).group.process(m)).isInstanceOf(OwnMessage.class);
        // A tampered copy of one's own message is not taken for the echo.
        byte[] bytes = m.toByteArray();
        bytes[bytes.length - 3] ^= 1;
        MlsMessage tampered = MlsMessage.decode(bytes);
        assertThatThrownBy(() -> cs.get(1).group.process(tampered)).isInstanceOf(MlsException.class);
    }
}
