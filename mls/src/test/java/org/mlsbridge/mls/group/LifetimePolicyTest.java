package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;

/**
 * RFC 9420 §7.3: a member MUST check the lifetime of leaves it sends and is RECOMMENDED to
 * check those it receives; the second is {@link ValidationPolicy#checkReceivedLifetimes}.
 */
class LifetimePolicyTest {
    private static final Clock LAST_YEAR = Clock.fixed(Instant.now().minus(Duration.ofDays(365)), ZoneOffset.UTC);

    /** A KeyPackage that expired months ago (valid for a day, a year ago). */
    private static KeyPackage expired(Client c) throws MlsException {
        return KeyPackageBuilder.forIdentity(c.identity).clock(LAST_YEAR).validFor(Duration.ofDays(1)).build()
                .keyPackage();
    }

    @Test
    void anExpiredKeyPackageIsNeverAddedByThisMember() throws MlsException {
        Client alice = Clients.group("alice", "bob").get(0);
        GroupConfig lenient = GroupConfig.DEFAULT.withValidation(
                ValidationPolicy.DEFAULT.withReceivedLifetimesChecked(false));
        alice.group = MlsGroup.resume(alice.group.state(), lenient, PskLookup.none());
        Proposal add = new Proposal.Add(expired(new Client("carol")));
        assertThatThrownBy(() -> alice.group.commit(CommitOptions.of(add))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("expired")
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.POLICY);
        assertThatThrownBy(() -> alice.group.propose(add)).isInstanceOf(ValidationException.class);
    }

    @Test
    void receivedExpiredLeavesAreRefusedByDefaultAndAcceptedWhenThePolicySaysSo() throws MlsException {
        List<Client> cs = Clients.group("alice", "bob", "dave");
        Client alice = cs.get(0);
        // alice's clock is a year late, so the KeyPackage is within its lifetime for her.
        alice.group = MlsGroup.resume(alice.group.state(), GroupConfig.DEFAULT.withClock(LAST_YEAR), PskLookup.none());
        MlsMessage commit = alice.group.commit(CommitOptions.of(new Proposal.Add(expired(new Client("carol")))))
                .commit();
        assertThatThrownBy(() -> cs.get(1).group.process(commit)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("expired")
                .extracting(e -> ((MlsException) e).reason()).isEqualTo(FailureReason.POLICY);
        Client dave = cs.get(2);
        dave.group = MlsGroup.resume(dave.group.state(), GroupConfig.DEFAULT.withValidation(
                ValidationPolicy.DEFAULT.withReceivedLifetimesChecked(false)), PskLookup.none());
        dave.receive(commit);
        assertThat(dave.group.members()).hasSize(4);
    }
}
