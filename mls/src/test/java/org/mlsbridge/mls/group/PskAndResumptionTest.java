package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.InactiveGroupException;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.MlsStorage;

class PskAndResumptionTest {
    private static final Bytes PSK_ID = Bytes.wrap("shared-psk".getBytes(StandardCharsets.UTF_8));

    @Test
    void externalPskByValueAndByReference() throws MlsException {
        List<Client> cs = Clients.clients("alice", "bob", "carol");
        PskLookup psks = PskLookup.ofExternal(Map.of(PSK_ID, Secret.of(new byte[32])));
        cs.forEach(c -> c.psks = psks);
        Client alice = cs.get(0);
        alice.create(List.of());
        CommitOutput add = alice.group.commit(CommitOptions.of(new Proposal.Add(cs.get(1).bundle.keyPackage()),
                new Proposal.PreSharedKey(alice.group.externalPskId(PSK_ID))));
        Clients.deliver(cs.subList(0, 1), add.commit());
        cs.get(1).join(add.welcome().orElseThrow());
        Clients.assertAgree(cs.subList(0, 2));

        SentProposal psk = cs.get(1).group.propose(new Proposal.PreSharedKey(cs.get(1).group.externalPskId(PSK_ID)));
        Clients.deliver(cs.subList(0, 2), psk.message());
        CommitOutput out = alice.group.commit(CommitOptions.allCachedProposals().withPath(false));
        Clients.deliver(cs.subList(0, 2), out.commit());
        Clients.assertAgree(cs.subList(0, 2));
    }

    @Test
    void resumptionPskOfAnEarlierEpoch() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        CommitOutput first = cs.get(1).group.commit(CommitOptions.empty());
        Clients.deliver(cs, first.commit());
        CommitOutput out = cs.get(2).group.commit(CommitOptions.of(
                new Proposal.PreSharedKey(cs.get(2).group.resumptionPskId(1))));
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
        assertThat(cs.get(0).group.epoch()).isEqualTo(3);
    }

    @Test
    void unknownExternalPskIsRefusedBeforeSending() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Bytes before = cs.get(0).group.epochAuthenticator();
        assertThatThrownBy(() -> cs.get(0).group.commit(CommitOptions.of(
                new Proposal.PreSharedKey(cs.get(0).group.externalPskId(PSK_ID))))).hasMessageContaining("§8.4");
        assertThat(cs.get(0).group.pendingCommit()).isEmpty();
        assertThat(cs.get(0).group.epochAuthenticator()).isEqualTo(before);
    }

    @Test
    void reInitCreatesTheNewGroupWithTheResumptionPsk() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Client alice = cs.get(0);
        Bytes newId = Bytes.wrap("re-initialised".getBytes(StandardCharsets.UTF_8));
        Proposal.ReInit reInit = new Proposal.ReInit(newId, 1, Clients.SUITE, List.of());
        SentProposal p = cs.get(1).group.propose(reInit);
        Clients.deliver(cs, p.message());
        CommitOutput out = alice.group.commit(CommitOptions.allCachedProposals().withPath(false));
        assertThat(out.pending().reInit()).contains(reInit);
        Clients.deliver(cs, out.commit());
        for (Client c : cs) {
            assertThat(c.group.state().pendingReInit()).contains(reInit);
            assertThat(c.group.isActive()).as("the old group is over once reinitialized (§11.2)").isFalse();
        }
        assertThatThrownBy(() -> alice.say("old group")).isInstanceOf(InactiveGroupException.class);
        assertThatThrownBy(() -> alice.group.commit(CommitOptions.empty())).isInstanceOf(InactiveGroupException.class);

        List<KeyPackageBundle> fresh = new ArrayList<>();
        for (Client c : cs.subList(1, 3)) {
            fresh.add(KeyPackageBuilder.forIdentity(c.identity).build());
        }
        ResumedGroup resumed = alice.group.reinitialize(alice.identity,
                fresh.stream().map(KeyPackageBundle::keyPackage).toList(), GroupConfig.DEFAULT);
        List<MlsGroup> next = new ArrayList<>(List.of(resumed.group()));
        for (int i = 1; i < 3; i++) {
            next.add(MlsGroup.joinReInit(resumed.welcome().orElseThrow(), JoinKeys.of(fresh.get(i - 1),
                    cs.get(i).identity), cs.get(i).group, GroupConfig.DEFAULT, PskLookup.none()));
        }
        for (MlsGroup g : next) {
            assertThat(g.groupId()).isEqualTo(newId);
            assertThat(g.epochAuthenticator()).isEqualTo(resumed.group().epochAuthenticator());
        }
        // Without the old group's resumption PSK the Welcome cannot be used.
        Client outsider = new Client("outsider");
        assertThatThrownBy(() -> MlsGroup.join(resumed.welcome().orElseThrow(), JoinKeys.of(fresh.get(0),
                cs.get(1).identity), GroupConfig.DEFAULT, PskLookup.none())).hasMessageContaining("§8.4");
        assertThat(outsider.group).isNull();
    }

    @Test
    void branchASubgroup() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        KeyPackageBundle bobKp = KeyPackageBuilder.forIdentity(cs.get(1).identity).build();
        ResumedGroup branch = cs.get(0).group.branch(cs.get(0).identity,
                Bytes.wrap("sub".getBytes(StandardCharsets.UTF_8)), List.of(), List.of(bobKp.keyPackage()));
        MlsGroup bobs = MlsGroup.joinBranch(branch.welcome().orElseThrow(), JoinKeys.of(bobKp, cs.get(1).identity),
                cs.get(1).group, GroupConfig.DEFAULT, PskLookup.none());
        assertThat(bobs.epochAuthenticator()).isEqualTo(branch.group().epochAuthenticator());
        assertThat(bobs.state().tree().memberCount()).isEqualTo(2);
        // The parent group goes on.
        CommitOutput out = cs.get(2).group.commit(CommitOptions.empty());
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void joiningFromStorageConsumesTheKeyPackageButKeepsLastResort() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client carol = new Client("carol");
        MlsStorage storage = new InMemoryMlsStorage();
        KeyPackageBundle oneTime = KeyPackageBuilder.forIdentity(carol.identity).build();
        KeyPackageBundle lastResort = KeyPackageBuilder.forIdentity(carol.identity).lastResort(true).build();
        Bytes oneRef = oneTime.ref(GroupConfig.DEFAULT.crypto());
        Bytes lastRef = lastResort.ref(GroupConfig.DEFAULT.crypto());
        storage.saveKeyPackage(oneRef, oneTime);
        storage.saveKeyPackage(lastRef, lastResort);

        CommitOutput out = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(oneTime.keyPackage())));
        Clients.deliver(cs, out.commit());
        MlsGroup g = MlsGroup.joinFromStorage(out.welcome().orElseThrow(), storage, carol.identity, Optional.empty(),
                GroupConfig.DEFAULT, PskLookup.none());
        assertThat(g.epochAuthenticator()).isEqualTo(cs.get(0).group.epochAuthenticator());
        assertThat(storage.loadKeyPackage(oneRef)).isEmpty();
        assertThat(storage.loadGroupState(g.groupId())).isPresent();
        assertThatThrownBy(() -> MlsGroup.joinFromStorage(out.welcome().orElseThrow(), storage, carol.identity,
                Optional.empty(), GroupConfig.DEFAULT, PskLookup.none())).hasMessageContaining("§12.4.3.1");

        CommitOutput second = cs.get(1).group.commit(CommitOptions.of(new Proposal.Remove(g.state().ownLeaf())));
        Clients.deliver(cs, second.commit());
        CommitOutput readd = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(lastResort.keyPackage())));
        Clients.deliver(cs, readd.commit());
        MlsGroup again = MlsGroup.joinFromStorage(readd.welcome().orElseThrow(), storage, carol.identity,
                Optional.empty(), GroupConfig.DEFAULT, PskLookup.none());
        assertThat(again.epochAuthenticator()).isEqualTo(cs.get(0).group.epochAuthenticator());
        assertThat(storage.loadKeyPackage(lastRef)).as("last_resort stays").isPresent();
    }
}
