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
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;

/**
 * Groups built the way other MLS implementations build them (see {@link ForeignStacks}): their
 * leaves need not list the group's cipher suite, their KeyPackages carry extensions the
 * capabilities do not list, and GREASE values are everywhere. RFC 9420 makes all of it valid,
 * so joins, Adds, proposals and commits must be accepted; only this member's own adds are
 * held to the adder's duty of §11 (by default).
 */
class ForeignStackGroupsTest {
    /** alice (lenient adder) and carol in a group; bob, with a foreign KeyPackage, is added by alice. */
    private static List<Client> groupWithForeignBob() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "carol"));
        Client alice = cs.get(0);
        alice.config = ForeignStacks.lenientAdder();
        alice.group = MlsGroup.resume(alice.group.state(), alice.config, PskLookup.none());
        Client bob = new Client("bob");
        bob.bundle = ForeignStacks.keyPackage(bob.identity);
        CommitOutput out = alice.group.commit(CommitOptions.of(new Proposal.Add(bob.bundle.keyPackage())));
        Clients.deliver(cs, out.commit()); // carol receives the Add of a foreign KeyPackage
        bob.join(out.welcome().orElseThrow()); // bob's own leaf omits the suite
        cs.add(bob);
        Clients.assertAgree(cs);
        return cs;
    }

    @Test
    void addOfAForeignKeyPackageIsAcceptedByMembersAndTheJoiner() throws MlsException {
        List<Client> cs = groupWithForeignBob();
        assertThat(cs.get(2).group.state().ownLeafNode().capabilities().cipherSuites())
                .doesNotContain(Clients.SUITE.id());
        MlsMessage hello = cs.get(2).say("hello from a foreign leaf");
        assertThat(cs.get(1).read(hello)).isEqualTo("hello from a foreign leaf");
    }

    @Test
    void commitsFromAForeignLeafAreAccepted() throws MlsException {
        List<Client> cs = groupWithForeignBob();
        Client bob = cs.get(2);
        // bob's UpdatePath leaf keeps his capabilities: no suite, GREASE everywhere.
        CommitOutput out = bob.group.commit(CommitOptions.empty());
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
        assertThat(bob.group.epoch()).isEqualTo(3);
        SentProposal update = bob.group.proposeUpdate();
        Clients.deliver(cs, update.message());
        CommitOutput covering = cs.get(1).group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(cs, covering.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void welcomeAndExternalJoinersAcceptATreeWithForeignLeaves() throws MlsException {
        List<Client> cs = groupWithForeignBob();
        Client dave = new Client("dave");
        CommitOutput out = cs.get(1).group.commit(CommitOptions.of(new Proposal.Add(dave.bundle.keyPackage())));
        Clients.deliver(cs, out.commit());
        dave.join(out.welcome().orElseThrow());
        cs.add(dave);
        Clients.assertAgree(cs);

        Client eve = new Client("eve");
        ExternalJoin join = MlsGroup.joinByExternalCommit(cs.get(0).group.groupInfo(true, true), Optional.empty(),
                eve.identity, Optional.empty(), Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none());
        eve.group = join.group();
        Clients.deliver(cs, join.commit());
        cs.add(eve);
        Clients.assertAgree(cs);
    }

    @Test
    void addProposalOfAForeignKeyPackageIsAcceptedAndCommittedByReference() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "carol"));
        Client carol = cs.get(1);
        carol.config = ForeignStacks.lenientAdder();
        carol.group = MlsGroup.resume(carol.group.state(), carol.config, PskLookup.none());
        Client bob = new Client("bob");
        bob.bundle = ForeignStacks.keyPackage(bob.identity);
        SentProposal add = carol.group.propose(new Proposal.Add(bob.bundle.keyPackage()));
        Clients.deliver(cs, add.message()); // alice, with the default policy, receives it
        // The adder's check covers only Adds alice makes herself, not one she commits by reference.
        CommitOutput out = cs.get(0).group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(cs, out.commit());
        bob.join(out.welcome().orElseThrow());
        cs.add(bob);
        Clients.assertAgree(cs);
    }

    @Test
    void byDefaultThisMemberDoesNotItselfAddAKeyPackageWithoutTheGroupsSuite() throws MlsException {
        Client alice = Clients.group("alice", "carol").get(0);
        Client bob = new Client("bob");
        Proposal add = new Proposal.Add(ForeignStacks.keyPackage(bob.identity).keyPackage());
        long epoch = alice.group.epoch();
        assertThatThrownBy(() -> alice.group.commit(CommitOptions.of(add))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("cipher suite")
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.POLICY);
        assertThatThrownBy(() -> alice.group.propose(add)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.POLICY);
        assertThat(alice.group.epoch()).isEqualTo(epoch);
        assertThat(alice.group.pendingCommit()).isEmpty();
    }
}
