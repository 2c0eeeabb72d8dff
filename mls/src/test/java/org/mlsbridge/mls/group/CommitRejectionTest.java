package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.validation.ResolvedProposal;

/** Sending-side validation: a commit or proposal the members would reject is refused, and nothing changes. */
class CommitRejectionTest {
    private static void assertRejected(List<Client> cs, ThrowingCallable attempt, String section) throws MlsException {
        Client c = cs.get(0);
        long epoch = c.group.epoch();
        Bytes auth = c.group.epochAuthenticator();
        int cached = c.group.state().proposals().size();
        assertThatThrownBy(attempt).isInstanceOf(ValidationException.class).hasMessageContaining(section);
        assertThat(c.group.epoch()).isEqualTo(epoch);
        assertThat(c.group.epochAuthenticator()).isEqualTo(auth);
        assertThat(c.group.pendingCommit()).isEmpty();
        assertThat(c.group.state().proposals()).hasSize(cached);
        // ... and the group still works.
        CommitOutput ok = c.group.commit(CommitOptions.empty());
        Clients.deliver(cs, ok.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void committingOwnRemove() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(0)))),
                "§12.2");
    }

    @Test
    void addOfAnExistingMember() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        var again = KeyPackageBuilder.forIdentity(cs.get(1).identity).build().keyPackage();
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(again))), "RFC 9420 §");
        assertRejected(cs, () -> cs.get(0).group.propose(new Proposal.Add(again)), "RFC 9420 §");
    }

    @Test
    void twoAddsOfTheSameClient() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Client carol = new Client("carol");
        var second = KeyPackageBuilder.forIdentity(carol.identity).build().keyPackage();
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(carol.bundle.keyPackage()),
                new Proposal.Add(second))), "§12.2");
    }

    @Test
    void addOfAKeyPackageForAnotherSuite() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        SignatureIdentity p256 = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(),
                CipherSuite.MLS_128_DHKEMP256_AES128GCM_SHA256_P256, Bytes.wrap("x".getBytes(StandardCharsets.UTF_8)));
        var kp = KeyPackageBuilder.forIdentity(p256).build().keyPackage();
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(kp))), "§10.1");
    }

    @Test
    void duplicatePsk() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        PreSharedKeyId id = cs.get(0).group.resumptionPskId(1);
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(new Proposal.PreSharedKey(id),
                new Proposal.PreSharedKey(id))), "§12.2");
    }

    @Test
    void reInitNotAlone() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        Proposal.ReInit r = new Proposal.ReInit(Bytes.wrap(new byte[] {1}), 1, Clients.SUITE, List.of());
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(r, new Proposal.Remove(LeafIndex.of(2)))),
                "§12.2");
    }

    @Test
    void ownUpdateByReference() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        SentProposal u = cs.get(0).group.proposeUpdate();
        Clients.deliver(cs.subList(1, 2), u.message());
        assertThatThrownBy(() -> cs.get(0).group.commit(CommitOptions.empty().withReferences(List.of(u.ref()))))
                .hasMessageContaining("§12.2");
        assertThat(cs.get(0).group.pendingCommit()).isEmpty();
        // Committing "all cached" leaves the own Update out.
        CommitOutput out = cs.get(0).group.commit(CommitOptions.allCachedProposals());
        assertThat(out.pending().proposals()).isEmpty();
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs);
    }

    @Test
    void twoGroupContextExtensions() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Proposal gce = new Proposal.GroupContextExtensions(List.of());
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(gce, gce)), "§12.2");
    }

    @Test
    void removeOfANonMember() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(5)))),
                "§12.1.3");
    }

    @Test
    void externalInitFromAMember() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(
                new Proposal.ExternalInit(Bytes.wrap(new byte[32])))), "§12");
    }

    @Test
    void requiredCapabilitiesNotSupportedByAMember() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob");
        Proposal gce = new Proposal.GroupContextExtensions(List.of(
                new RequiredCapabilities(List.of(), List.of(0xF0F0), List.of()).toExtension()));
        assertRejected(cs, () -> cs.get(0).group.commit(CommitOptions.of(gce)), "§12.1.7");
    }

    @Test
    void pathIsForcedWhenRequired() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "carol");
        CommitOutput out = cs.get(0).group.commit(CommitOptions.of(new Proposal.Remove(LeafIndex.of(2)))
                .withPath(false));
        var content = ((org.mlsbridge.mls.message.PublicMessage) out.commit().body()).content().content();
        assertThat(((org.mlsbridge.mls.message.Content.CommitContent) content).commit().path()).isPresent();
        Clients.deliver(cs, out.commit());
        Clients.assertAgree(cs.subList(0, 2));
    }

    @Test
    void customProposalsAreCarriedWhenEveryoneSupportsThem() throws MlsException {
        int custom = 0xF0F0;
        List<Client> cs = Clients.clients("alice", "bob");
        Client bob = cs.get(1);
        Capabilities base = KeyPackageBuilder.defaultCapabilities(1, List.of());
        bob.bundle = KeyPackageBuilder.forIdentity(bob.identity).capabilities(new Capabilities(base.versions(),
                base.cipherSuites(), base.extensions(), List.of(custom), base.credentials())).build();
        cs.get(0).create(List.of(new RequiredCapabilities(List.of(), List.of(custom), List.of()).toExtension()));
        CommitOutput add = cs.get(0).group.commit(CommitOptions.of(new Proposal.Add(bob.bundle.keyPackage())));
        Clients.deliver(cs.subList(0, 1), add.commit());
        bob.join(add.welcome().orElseThrow());
        Proposal.CustomProposal p = new Proposal.CustomProposal(custom, Bytes.wrap(new byte[] {1, 2, 3}));
        CommitOutput out = bob.group.commit(CommitOptions.of(p));
        StagedCommit seen = (StagedCommit) cs.get(0).receive(out.commit());
        assertThat(seen.proposals()).extracting(ResolvedProposal::proposal).containsExactly(p);
        bob.receive(out.commit());
        Clients.assertAgree(cs);
    }
}
