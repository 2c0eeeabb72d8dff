package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

/** The whole sending side once per cipher suite: hash and key sizes differ (PSK nonces, path secrets). */
class AllSuitesTest {
    private static final Bytes PSK_ID = Bytes.wrap("psk".getBytes(StandardCharsets.UTF_8));

    private record Peer(SignatureIdentity id, KeyPackageBundle kp) {
        static Peer of(CipherSuite suite, String name) throws MlsException {
            SignatureIdentity id = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(), suite,
                    Bytes.wrap(name.getBytes(StandardCharsets.UTF_8)));
            return new Peer(id, KeyPackageBuilder.forIdentity(id).build());
        }
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void lifecycle(CipherSuite suite) throws MlsException {
        PskLookup psks = PskLookup.ofExternal(Map.of(PSK_ID, Secret.of(new byte[16])));
        Peer a = Peer.of(suite, "a");
        Peer b = Peer.of(suite, "b");
        Peer c = Peer.of(suite, "c");
        MlsGroup ga = MlsGroup.create(a.id(), List.of(), GroupConfig.DEFAULT, psks);
        CommitOutput add = ga.commit(CommitOptions.of(new Proposal.Add(b.kp().keyPackage()),
                new Proposal.Add(c.kp().keyPackage()), new Proposal.PreSharedKey(ga.externalPskId(PSK_ID))));
        ga.merge((StagedCommit) ga.process(add.commit()));
        MlsGroup gb = MlsGroup.join(add.welcome().orElseThrow(), JoinKeys.of(b.kp(), b.id()), GroupConfig.DEFAULT,
                psks);
        MlsGroup gc = MlsGroup.join(add.welcome().orElseThrow(), JoinKeys.of(c.kp(), c.id()), GroupConfig.DEFAULT,
                psks);
        List<MlsGroup> all = new ArrayList<>(List.of(ga, gb, gc));

        SentProposal update = gb.proposeUpdate();
        deliver(all, update.message());
        deliver(all, gc.commit(CommitOptions.allCachedProposals()).commit());
        MlsMessage hello = gb.encrypt("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(((ApplicationMessage) ga.process(hello)).data().toByteArray()).isEqualTo("hi".getBytes());

        Peer d = Peer.of(suite, "d");
        ExternalJoin join = MlsGroup.joinByExternalCommit(gc.groupInfo(true, true), Optional.empty(), d.id(),
                Optional.empty(), Bytes.EMPTY, GroupConfig.DEFAULT, psks);
        deliver(all, join.commit());
        all.add(join.group());
        deliver(all, gb.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(0)))).commit());
        assertThat(ga.isActive()).isFalse();
        all.remove(ga);
        for (MlsGroup g : all) {
            assertThat(g.epochAuthenticator()).isEqualTo(gb.epochAuthenticator());
        }
    }

    private static void deliver(List<MlsGroup> groups, MlsMessage m) throws MlsException {
        for (MlsGroup g : groups) {
            if (g.process(m) instanceof StagedCommit s) {
                g.merge(s);
            }
        }
    }
}
