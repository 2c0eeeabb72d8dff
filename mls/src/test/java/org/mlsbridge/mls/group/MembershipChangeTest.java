package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.InactiveGroupException;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

class MembershipChangeTest {
    @Test
    void removedMemberCanNoLongerDecrypt() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol", "dave");
        Client alice = cs.get(0);
        Client carol = cs.get(2);
        CommitOutput out = alice.group.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(2))));
        Clients.deliver(cs, out.commit());
        assertThat(carol.group.isActive()).isFalse();
        List<Client> rest = List.of(alice, cs.get(1), cs.get(3));
        Clients.assertAgree(rest);
        MlsMessage secret = alice.say("carol is gone");
        assertThat(cs.get(3).read(secret)).isEqualTo("carol is gone");
        assertThatThrownBy(() -> carol.group.process(secret)).isInstanceOf(InactiveGroupException.class)
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.INACTIVE);
        assertThatThrownBy(() -> carol.say("still here?")).isInstanceOf(InactiveGroupException.class);
        assertThatThrownBy(() -> carol.group.commit(CommitOptions.empty())).isInstanceOf(InactiveGroupException.class);
        assertThatThrownBy(() -> carol.group.proposeUpdate()).isInstanceOf(InactiveGroupException.class);
        // Even with her last state, the new epoch's message is out of reach.
        MlsGroup stale = MlsGroup.resume(carol.group.state(), GroupConfig.DEFAULT, PskLookup.none());
        assertThatThrownBy(() -> stale.process(secret)).isInstanceOf(MlsException.class);
    }

    @Test
    void removeByReferenceFromAnotherMember() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        SentProposal remove = cs.get(1).group.propose(new Proposal.Remove(LeafIndex.of(2)));
        Clients.deliver(cs, remove.message());
        CommitOutput out = cs.get(0).group.commit(CommitOptions.allCachedProposals());
        assertThat(out.pending().removedMembers()).containsExactly(LeafIndex.of(2));
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs.subList(0, 2));
    }

    @Test
    void updateProposalCommittedByAnother() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Client bob = cs.get(1);
        var oldKey = bob.group.state().ownLeafNode().encryptionKey();
        SentProposal update = bob.group.proposeUpdate();
        Clients.deliver(cs, update.message());
        CommitOutput out = cs.get(0).group.commit(CommitOptions.empty().withReferences(List.of(update.ref())));
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
        assertThat(bob.group.state().ownLeafNode().encryptionKey()).isNotEqualTo(oldKey);
        // Bob can follow the next commit, which encrypts to his new leaf key.
        CommitOutput next = cs.get(2).group.commit(CommitOptions.empty());
        Clients.deliver(cs, next.commit());
        Clients.assertAgree(cs);
        assertThat(cs.get(0).read(bob.say("fresh keys"))).isEqualTo("fresh keys");
    }

    @Test
    void updateNotCommittedIsDiscardedAtTheNextEpoch() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        cs.get(1).group.proposeUpdate();
        CommitOutput out = cs.get(0).group.commit(CommitOptions.empty());
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
        CommitOutput next = cs.get(0).group.commit(CommitOptions.empty());
        Clients.deliver(cs, next.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void selfUpdateByEmptyCommitAndAddWithoutPath() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client carol = new Client("carol");
        CommitOutput out = cs.get(1).group.commit(CommitOptions.of(new Proposal.Add(carol.bundle.keyPackage()))
                .withPath(false));
        assertThat(((org.mlsbridge.mls.message.PublicMessage) out.commit().body()).content().content())
                .isInstanceOfSatisfying(org.mlsbridge.mls.message.Content.CommitContent.class,
                        c -> assertThat(c.commit().path()).isEmpty());
        Clients.deliver(cs, out.commit());
        carol.join(out.welcome().orElseThrow());
        List<Client> all = List.of(cs.get(0), cs.get(1), carol);
        Clients.assertAgree(all);
        CommitOutput self = carol.group.commit(CommitOptions.empty());
        Clients.deliver(all, self.commit());
        Clients.assertAgree(all);
    }
}
