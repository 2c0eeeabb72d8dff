package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.Proposal;

/** External commits carrying PSKs (§12.4.3.2), and ReInit/branch with a shaped first commit and the tree out of band. */
class ResumptionAndExternalPskTest {
    private static final Bytes PSK_ID = Bytes.wrap("agreed out of band".getBytes(StandardCharsets.UTF_8));

    @Test
    void externalCommitInjectsExternalPsks() throws MlsException {
        List<Client> cs = Clients.clients("alice", "bob");
        PskLookup psks = PskLookup.ofExternal(Map.of(PSK_ID, Secret.of(new byte[] {1, 2, 3})));
        cs.forEach(c -> c.psks = psks);
        cs.get(0).create(List.of());
        CommitOutput add = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(cs.get(1).bundle.keyPackage())));
        Clients.deliver(cs.subList(0, 1), add.commit());
        cs.get(1).join(add.welcome().orElseThrow());

        Client eve = new Client("eve");
        GroupInfo info = cs.get(0).group.groupInfo(true, true);
        assertThatThrownBy(() -> MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity, Optional.empty(),
                List.of(PSK_ID), Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none())).hasMessageContaining("§8.4");
        ExternalJoin join = MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity, Optional.empty(),
                List.of(PSK_ID), Bytes.EMPTY, GroupConfig.DEFAULT, psks);
        StagedCommit staged = (StagedCommit) cs.get(0).group.process(join.commit());
        assertThat(staged.proposals()).anyMatch(p -> p.proposal() instanceof Proposal.PreSharedKey);

        // A member without the PSK cannot follow, and stays where it was.
        MlsGroup blind = MlsGroup.resume(cs.get(1).group.state(), GroupConfig.DEFAULT, PskLookup.none());
        Bytes before = blind.epochAuthenticator();
        assertThatThrownBy(() -> blind.process(join.commit())).hasMessageContaining("§8.4");
        assertThat(blind.epochAuthenticator()).isEqualTo(before);

        Clients.deliver(cs, join.commit());
        eve.group = join.group();
        List<Client> all = new ArrayList<>(cs);
        all.add(eve);
        Clients.assertAgree(all);
    }

    @Test
    void reInitWithoutPathAndWithTheTreeOutOfBand() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Bytes newId = Bytes.wrap("re-initialised".getBytes(StandardCharsets.UTF_8));
        SentProposal p = cs.get(1).group.propose(new Proposal.ReInit(newId, 1, Clients.SUITE, List.of()));
        Clients.deliver(cs, p.message());
        Clients.deliver(cs, cs.get(0).group.commit(CommitOptions.allCachedProposals()).commit());

        List<KeyPackageBundle> fresh = new ArrayList<>();
        for (Client c : cs.subList(1, 3)) {
            fresh.add(KeyPackageBuilder.forIdentity(c.identity).build());
        }
        ResumedGroup resumed = cs.get(0).group.reinitialize(cs.get(0).identity,
                fresh.stream().map(KeyPackageBundle::keyPackage).toList(), GroupConfig.DEFAULT,
                CommitOptions.empty().withPath(false).withRatchetTreeInGroupInfo(false));
        var tree = Optional.of(resumed.group().state().tree().toNodes());
        JoinKeys bobKeys = JoinKeys.of(fresh.get(0), cs.get(1).identity);
        assertThatThrownBy(() -> MlsGroup.joinReInit(resumed.welcome().orElseThrow(), bobKeys, cs.get(1).group,
                GroupConfig.DEFAULT, PskLookup.none())).hasMessageContaining("§12.4.3");
        for (int i = 1; i < 3; i++) {
            MlsGroup joined = MlsGroup.joinReInit(resumed.welcome().orElseThrow(), JoinKeys.of(fresh.get(i - 1),
                    cs.get(i).identity), tree, cs.get(i).group, GroupConfig.DEFAULT, PskLookup.none());
            assertThat(joined.epochAuthenticator()).isEqualTo(resumed.group().epochAuthenticator());
        }
    }

    @Test
    void branchWithTheTreeOutOfBand() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        KeyPackageBundle bobKp = KeyPackageBuilder.forIdentity(cs.get(1).identity).build();
        ResumedGroup branch = cs.get(0).group.branch(cs.get(0).identity,
                Bytes.wrap("sub".getBytes(StandardCharsets.UTF_8)), List.of(), List.of(bobKp.keyPackage()),
                CommitOptions.empty().withRatchetTreeInGroupInfo(false));
        assertThat(Extensions.find(branch.group().groupInfo(false, false).extensions(), Extension.RATCHET_TREE))
                .isEmpty();
        MlsGroup bobs = MlsGroup.joinBranch(branch.welcome().orElseThrow(), JoinKeys.of(bobKp, cs.get(1).identity),
                Optional.of(branch.group().state().tree().toNodes()), cs.get(1).group, GroupConfig.DEFAULT,
                PskLookup.none());
        assertThat(bobs.epochAuthenticator()).isEqualTo(branch.group().epochAuthenticator());
    }
}
