package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;

class ExternalJoinTest {
    @Test
    void newMemberJoinsByExternalCommit() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "bob"));
        Client eve = new Client("eve");
        GroupInfo info = cs.get(1).group.groupInfo(true, true);
        ExternalJoin join = MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity, Optional.empty(),
                Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none());
        eve.group = join.group();
        StagedCommit staged = (StagedCommit) cs.get(0).group.process(join.commit());
        assertThat(staged.committer()).isEqualTo(new Sender.NewMemberCommit());
        cs.get(0).group.merge(staged);
        cs.get(1).receive(join.commit());
        assertThat(eve.group.process(join.commit())).isEqualTo(new OwnMessage(ContentType.COMMIT, 1));
        cs.add(eve);
        Clients.assertAgree(cs);
        MlsMessage hi = eve.say("hi, I am in");
        assertThat(cs.get(0).read(hi)).isEqualTo("hi, I am in");
        CommitOutput next = cs.get(0).group.commit(CommitOptions.empty());
        Clients.deliver(cs, next.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void groupInfoOfAnotherCipherSuiteIsACheckedRefusal() throws MlsException {
        // The suite is the GroupInfo author's choice, so a mismatch must be an MlsException the caller
        // can count, not an IllegalArgumentException (found by GroupInfoFuzzTest).
        List<Client> cs = Clients.group("alice", "bob");
        GroupInfo info = cs.get(0).group.groupInfo(true, true);
        SignatureIdentity other = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(),
                CipherSuite.MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519, Bytes.wrap("eve".getBytes()));
        assertThatThrownBy(() -> MlsGroup.joinByExternalCommit(info, Optional.empty(), other, Optional.empty(),
                Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none()))
                .isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).reason()).isEqualTo(FailureReason.POLICY);
    }

    @Test
    void externalJoinWithTreeOutOfBand() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "bob"));
        Client eve = new Client("eve");
        GroupInfo info = cs.get(0).group.groupInfo(false, true);
        var tree = Optional.of(cs.get(0).group.state().tree().toNodes());
        assertThatThrownBy(() -> MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity,
                Optional.empty(), Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none())).hasMessageContaining("§12.4.3.3");
        ExternalJoin join = MlsGroup.joinByExternalCommit(info, tree, eve.identity, Optional.empty(), Bytes.EMPTY,
                GroupConfig.DEFAULT, PskLookup.none());
        eve.group = join.group();
        Clients.deliver(cs, join.commit());
        cs.add(eve);
        Clients.assertAgree(cs);
    }

    @Test
    void memberResyncsByExternalCommitRemovingItsOldLeaf() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Client bob = cs.get(1);
        GroupInfo info = cs.get(0).group.groupInfo(true, true);
        ExternalJoin join = MlsGroup.joinByExternalCommit(info, Optional.empty(), bob.identity,
                Optional.of(LeafIndex.of(1)), Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none());
        StagedCommit staged = (StagedCommit) cs.get(0).group.process(join.commit());
        assertThat(staged.removedMembers()).containsExactly(LeafIndex.of(1));
        cs.get(0).group.merge(staged);
        cs.get(2).receive(join.commit());
        bob.group = join.group();
        Clients.assertAgree(cs);
        assertThat(bob.group.state().ownLeaf()).isEqualTo(LeafIndex.of(1));
        assertThat(cs.get(2).read(bob.say("back in sync"))).isEqualTo("back in sync");
    }

    @Test
    void externalJoinerTakesTheLeftmostBlankLeaf() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "bob", "carol", "dave"));
        CommitOutput remove = cs.get(0).group.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(1))));
        Clients.deliver(cs, remove.commit());
        cs.remove(1);
        Client eve = new Client("eve");
        ExternalJoin join = MlsGroup.joinByExternalCommit(cs.get(2).group.groupInfo(true, true), Optional.empty(),
                eve.identity, Optional.empty(), Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none());
        assertThat(join.group().state().ownLeaf()).isEqualTo(LeafIndex.of(1));
        Clients.deliver(cs, join.commit());
        eve.group = join.group();
        cs.add(eve);
        Clients.assertAgree(cs);
        CommitOutput next = eve.group.commit(CommitOptions.empty());
        Clients.deliver(cs, next.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void groupInfoWithoutExternalPubIsRefused() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        GroupInfo info = cs.get(0).group.groupInfo(true, false);
        Client eve = new Client("eve");
        assertThatThrownBy(() -> MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity, Optional.empty(),
                Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none())).hasMessageContaining("§12.4.3.2");
    }
}
