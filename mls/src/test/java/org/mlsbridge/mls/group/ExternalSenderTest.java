package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;

class ExternalSenderTest {
    private static ExternalProposer bot() {
        SignatureIdentity id = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(), Clients.SUITE,
                Bytes.wrap("bot".getBytes(StandardCharsets.UTF_8)));
        return new ExternalProposer(id, GroupConfig.DEFAULT.crypto());
    }

    @Test
    void botAddsAndRemovesMembersWithoutGroupSecrets() throws MlsException {
        ExternalProposer bot = bot();
        List<Client> cs = new ArrayList<>(Clients.clients("alice", "bob", "carol"));
        Client alice = cs.get(0);
        alice.create(List.of(ExternalSender.toExtension(List.of(bot.externalSender()))));
        // The bot only sees the public GroupInfo.
        GroupContext ctx = alice.group.groupInfo(true, false).groupContext();
        MlsMessage addBob = bot.propose(ctx, new Proposal.Add(cs.get(1).bundle.keyPackage()));
        MlsMessage addCarol = bot.propose(ctx, new Proposal.Add(cs.get(2).bundle.keyPackage()));
        ProposalReceived r = (ProposalReceived) alice.group.process(addBob);
        assertThat(r.sender()).isEqualTo(new Sender.External(0));
        alice.group.process(addCarol);
        CommitOutput out = alice.group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(List.of(alice), out.commit());
        cs.get(1).join(out.welcome().orElseThrow());
        cs.get(2).join(out.welcome().orElseThrow());
        Clients.assertAgree(cs);

        GroupContext ctx1 = alice.group.groupInfo(false, false).groupContext();
        MlsMessage removeCarol = bot.propose(ctx1, new Proposal.Remove(LeafIndex.of(2)));
        Clients.deliver(cs, removeCarol);
        CommitOutput removal = cs.get(1).group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(cs, removal.commit());
        assertThat(cs.get(2).group.isActive()).isFalse();
        Clients.assertAgree(cs.subList(0, 2));
    }

    @Test
    void botProposesGroupContextExtensionsAndReInit() throws MlsException {
        ExternalProposer bot = bot();
        List<Client> cs = Clients.clients("alice", "bob");
        Client alice = cs.get(0);
        var senders = ExternalSender.toExtension(List.of(bot.externalSender()));
        alice.create(List.of(senders));
        CommitOutput add = alice.group.commit(CommitOptions.of(new Proposal.Add(cs.get(1).bundle.keyPackage())));
        Clients.deliver(cs.subList(0, 1), add.commit());
        cs.get(1).join(add.welcome().orElseThrow());

        var appId = new org.mlsbridge.mls.message.Extension(org.mlsbridge.mls.message.Extension.APPLICATION_ID,
                Bytes.wrap(new byte[] {42}));
        MlsMessage gce = bot.propose(alice.group.state().context(),
                new Proposal.GroupContextExtensions(List.of(senders, appId)));
        Clients.deliver(cs, gce);
        CommitOutput out = cs.get(1).group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
        assertThat(alice.group.state().context().extensions()).contains(appId);

        Proposal.ReInit reInit = new Proposal.ReInit(Bytes.wrap(new byte[] {9}), 1, Clients.SUITE, List.of());
        Clients.deliver(cs, bot.propose(alice.group.state().context(), reInit));
        CommitOutput re = alice.group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(cs, re.commit());
        assertThat(cs.get(1).group.state().pendingReInit()).contains(reInit);
    }

    @Test
    void newMemberAsksToJoinAndAMemberCommitsIt() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "bob"));
        Client dave = new Client("dave");
        MlsMessage request = ExternalProposer.requestToJoin(cs.get(0).group.groupInfo(false, false).groupContext(),
                dave.bundle.keyPackage(), dave.identity, GroupConfig.DEFAULT.crypto());
        ProposalReceived r = (ProposalReceived) cs.get(1).group.process(request);
        assertThat(r.sender()).isEqualTo(new Sender.NewMemberProposal());
        cs.get(0).group.process(request);
        CommitOutput out = cs.get(0).group.commit(CommitOptions.allCachedProposals());
        Clients.deliver(cs, out.commit());
        dave.join(out.welcome().orElseThrow());
        cs.add(dave);
        Clients.assertAgree(cs);
    }

    @Test
    void signerNotListedIsRefused() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        GroupContext ctx = cs.get(0).group.state().context();
        assertThatThrownBy(() -> bot().propose(ctx, new Proposal.Remove(LeafIndex.of(1))))
                .hasMessageContaining("§12.1.8.1");
    }
}
