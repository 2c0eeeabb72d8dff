package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.validation.CredentialValidator;

/**
 * Joiners check every leaf of the tree they join (RFC 9420 §7.3), by Welcome and by external
 * commit alike; and the tree-size cap ({@link ValidationPolicy#maxLeaves}) stops a join, a
 * public view and a commit's growth before work proportional to the tree.
 */
class JoinHardeningTest {
    /** Refuses members whose basic identity is {@code refused}; everything else as the basic policy. */
    private static CredentialValidator refusing(String refused) {
        return new CredentialValidator() {
            @Override
            public boolean acceptsMember(Credential credential, Bytes signatureKey) {
                return CredentialValidator.basic().acceptsMember(credential, signatureKey)
                        && !(credential instanceof Credential.BasicCredential b
                                && new String(b.identity().toByteArray(), StandardCharsets.UTF_8).equals(refused));
            }

            @Override
            public boolean acceptsExternalSender(Credential credential, Bytes signatureKey) {
                return CredentialValidator.basic().acceptsExternalSender(credential, signatureKey);
            }

            @Override
            public boolean acceptsSuccessor(Credential current, Credential next) {
                return CredentialValidator.basic().acceptsSuccessor(current, next);
            }
        };
    }

    private static MlsException thrown(ThrowingCall call) {
        try {
            call.run();
        } catch (MlsException e) {
            return e;
        }
        throw new AssertionError("expected an MlsException");
    }

    private interface ThrowingCall {
        void run() throws MlsException;
    }

    @Test
    void externalJoinerValidatesEveryLeafAsAWelcomeJoinerDoes() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        GroupInfo info = cs.get(0).group.groupInfo(true, true);
        Client eve = new Client("eve");
        GroupConfig strict = GroupConfig.DEFAULT.withCredentials(refusing("bob"));
        MlsException e = thrown(() -> MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity,
                Optional.empty(), Bytes.EMPTY, strict, PskLookup.none()));
        assertThat(e.reason()).isEqualTo(FailureReason.POLICY);
        assertThat(e).hasMessageContaining("credential validator");

        Client dave = new Client("dave");
        dave.config = strict;
        CommitOutput add = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(dave.bundle.keyPackage())));
        MlsException w = thrown(() -> dave.join(add.welcome().orElseThrow()));
        assertThat(w.reason()).isEqualTo(FailureReason.POLICY);
    }

    @Test
    void joinsOfTreesAboveTheCapAreRefused() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        GroupConfig small = GroupConfig.DEFAULT.withValidation(ValidationPolicy.DEFAULT.withMaxLeaves(2));
        Client dave = new Client("dave");
        dave.config = small;
        CommitOutput add = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(dave.bundle.keyPackage())));
        assertThat(thrown(() -> dave.join(add.welcome().orElseThrow())).reason()).isEqualTo(FailureReason.TOO_LARGE);

        GroupInfo info = cs.get(0).group.groupInfo(true, true);
        Client eve = new Client("eve");
        assertThat(thrown(() -> MlsGroup.joinByExternalCommit(info, Optional.empty(), eve.identity, Optional.empty(),
                Bytes.EMPTY, small, PskLookup.none())).reason()).isEqualTo(FailureReason.TOO_LARGE);
        var outOfBand = Optional.of(cs.get(0).group.state().tree().toNodes());
        GroupInfo bare = cs.get(0).group.groupInfo(false, true);
        assertThat(thrown(() -> MlsGroup.joinByExternalCommit(bare, outOfBand, eve.identity, Optional.empty(),
                Bytes.EMPTY, small, PskLookup.none())).reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(thrown(() -> PublicGroupView.fromGroupInfo(info, Optional.empty(), small)).reason())
                .isEqualTo(FailureReason.TOO_LARGE);
        // Within the cap the same calls work.
        GroupConfig enough = GroupConfig.DEFAULT.withValidation(ValidationPolicy.DEFAULT.withMaxLeaves(4));
        assertThat(PublicGroupView.fromGroupInfo(info, Optional.empty(), enough).tree().memberCount()).isEqualTo(3);
    }

    @Test
    void aCommitGrowingTheTreeBeyondTheCapIsRefusedByCommitterAndReceiver() throws MlsException {
        List<Client> cs = new ArrayList<>(Clients.group("alice", "bob"));
        Client bob = cs.get(1);
        GroupConfig small = GroupConfig.DEFAULT.withValidation(ValidationPolicy.DEFAULT.withMaxLeaves(2));
        bob.group = MlsGroup.resume(bob.group.state(), small, PskLookup.none());
        Client carol = new Client("carol");
        MlsMessage grows = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(carol.bundle.keyPackage())))
                .commit();
        long epoch = bob.group.epoch();
        assertThat(thrown(() -> bob.group.process(grows)).reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(bob.group.epoch()).isEqualTo(epoch);
        assertThat(thrown(() -> bob.group.commit(CommitOptions.of(new Proposal.Add(carol.bundle.keyPackage()))))
                .reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(bob.group.pendingCommit()).isEmpty();
        // A commit that does not grow the tree is still fine.
        cs.get(0).group.clearPendingCommit();
        MlsMessage plain = cs.get(0).group.commit(CommitOptions.empty()).commit();
        Clients.deliver(cs, plain);
        Clients.assertAgree(cs);
    }

    @Test
    void decodingARatchetTreeStopsAtTheNodeCap() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        byte[] tree = cs.get(0).group.state().tree().toExtension().toByteArray();
        assertThat(TlsReader.decode(tree, r -> RatchetTreeExtension.readFrom(r, 5)).nodes()).hasSize(5);
        assertThatThrownBy(() -> TlsReader.decode(tree, r -> RatchetTreeExtension.readFrom(r, 4)))
                .isInstanceOf(DecodeException.class)
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.TOO_LARGE);
    }
}
