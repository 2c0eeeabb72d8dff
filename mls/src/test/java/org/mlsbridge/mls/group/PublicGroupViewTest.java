package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.ExternalSender;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

class PublicGroupViewTest {
    /** Delivers to the members and the view; the view must end in exactly the members' GroupContext. */
    private static void deliver(List<Client> cs, PublicGroupView view, MlsMessage m) throws MlsException {
        PublicEvent e = view.process(m);
        if (e instanceof PublicCommit c) {
            view.merge(c);
        }
        Clients.deliver(cs, m);
    }

    @Test
    void followsTheGroupWithoutSecrets() throws MlsException {
        SignatureIdentity botId = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(), Clients.SUITE,
                Bytes.wrap("bot".getBytes(StandardCharsets.UTF_8)));
        ExternalProposer bot = new ExternalProposer(botId, GroupConfig.DEFAULT.crypto());
        List<Client> cs = new ArrayList<>(Clients.clients("alice", "bob", "carol"));
        cs.get(0).create(List.of(ExternalSender.toExtension(List.of(bot.externalSender()))));
        PublicGroupView view = PublicGroupView.fromGroupInfo(cs.get(0).group.groupInfo(true, false), Optional.empty(),
                GroupConfig.DEFAULT);
        List<Client> in = new ArrayList<>(cs.subList(0, 1));

        deliver(in, view, bot.propose(view.context(), new Proposal.Add(cs.get(1).bundle.keyPackage())));
        CommitOutput add = cs.get(0).group.commit(CommitOptions.allCachedProposals()
                .withValues(List.of(new Proposal.Add(cs.get(2).bundle.keyPackage()))));
        deliver(in, view, add.commit());
        cs.get(1).join(add.welcome().orElseThrow());
        cs.get(2).join(add.welcome().orElseThrow());
        in = cs;
        assertThat(view.context()).isEqualTo(cs.get(0).group.state().context());
        assertThat(view.members()).hasSize(3);

        SentProposal update = cs.get(1).group.proposeUpdate();
        deliver(in, view, update.message());
        deliver(in, view, cs.get(2).group.commit(CommitOptions.allCachedProposals()).commit());
        assertThat(view.context()).isEqualTo(cs.get(1).group.state().context());

        Client dave = new Client("dave");
        ExternalJoin join = MlsGroup.joinByExternalCommit(cs.get(0).group.groupInfo(true, true), Optional.empty(),
                dave.identity, Optional.empty(), Bytes.EMPTY, GroupConfig.DEFAULT, PskLookup.none());
        deliver(in, view, join.commit());
        dave.group = join.group();
        in.add(dave);
        assertThat(view.context()).isEqualTo(dave.group.state().context());

        var bobs = cs.get(1).identity.credential();
        deliver(in, view, bot.propose(view.context(), new Proposal.Remove(LeafIndex.of(1))));
        deliver(in, view, dave.group.commit(CommitOptions.allCachedProposals()).commit());
        in.remove(1);
        Clients.assertAgree(in);
        assertThat(view.context()).isEqualTo(dave.group.state().context());
        assertThat(view.members()).extracting(Member::credential).doesNotContain(bobs);

        assertThatThrownBy(() -> view.process(dave.say("secret"))).hasMessageContaining("§6");

        // A tampered commit is refused and the view stays where it was.
        CommitOutput next = in.get(0).group.commit(CommitOptions.empty());
        byte[] bytes = next.commit().toByteArray();
        bytes[bytes.length - 90] ^= 1; // in the signature (a confirmation tag cannot be checked here)
        var before = view.context();
        assertThatThrownBy(() -> view.process(MlsMessage.decode(bytes))).isInstanceOf(MlsException.class);
        assertThat(view.context()).isEqualTo(before);
        deliver(in, view, next.commit());
        assertThat(view.context()).isEqualTo(in.get(1).group.state().context());
    }
}
