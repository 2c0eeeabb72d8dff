package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.UserId;

/** One MLS group across an XMPP room and a Matrix room, through a bridge that cannot read it. */
class BridgeRelayTest {
    static final UserId ALICE = UserId.xmpp("alice@example.org");
    static final UserId BOB = UserId.xmpp("bob@example.org");
    static final UserId CAROL = UserId.matrix("@carol:example.org");
    static final UserId DAVE = UserId.matrix("@dave:example.org");

    @TempDir
    Path dir;

    /** Also with the relay's connections reading ahead, as the load run's relay reads. */
    @ParameterizedTest(name = "relay reads ahead: {0}")
    @ValueSource(booleans = {false, true})
    void membersOnBothNetworksTalkBothWays(boolean relayReadsAhead) throws Exception {
        try (BridgedPair p = new BridgedPair(dir, relayReadsAhead)) {
            MemberClient alice = p.creator(ALICE);
            p.join(BOB);
            MemberClient carol = p.join(CAROL);
            p.join(DAVE);
            p.settle();
            for (MemberClient c : p.members.values()) {
                assertThat(c.groupMembers(BridgedPair.roomOf(c.self())))
                        .as("group of " + c.self()).containsExactlyInAnyOrder(ALICE, BOB, CAROL, DAVE);
            }
            assertThat(p.members.values().stream().map(c -> c.epochAuthenticator(BridgedPair.roomOf(c.self()))
                    .orElseThrow()).distinct()).hasSize(1);

            alice.send(BridgedPair.XMPP_ROOM, BridgedPair.text("hello from xmpp")).orElseThrow();
            carol.send(BridgedPair.MATRIX_ROOM, BridgedPair.text("hello from matrix")).orElseThrow();
            p.settle();
            Map<UserId, List<String>> got = p.drainReceived();
            assertThat(got.get(ALICE)).containsExactly("hello from matrix");
            assertThat(got.get(BOB)).containsExactlyInAnyOrder("hello from xmpp", "hello from matrix");
            assertThat(got.get(CAROL)).containsExactly("hello from xmpp");
            assertThat(got.get(DAVE)).containsExactlyInAnyOrder("hello from xmpp", "hello from matrix");
            assertThat(p.relay.counters().welcomesForwarded()).isEqualTo(2);
            assertThat(p.relay.counters().refused()).isZero();
            // what the Matrix server carried is ciphertext only
            assertThat(p.matrix.roomLog(BridgedPair.MATRIX_ROOM)).allSatisfy(m ->
                    assertThat(new String(m.payload().toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .doesNotContain("hello"));
        }
    }

    @Test
    void theRelayCountsForTheBotWhatItActsOnButNotApplicationMessages() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            MemberClient alice = p.creator(ALICE);
            MemberClient carol = p.join(CAROL);
            p.settle();
            long before = p.relay.counters().forTheBot();
            long relayed = p.relay.counters().relayed();
            assertThat(before).as("joins, commits and Welcomes so far").isPositive();

            alice.send(BridgedPair.XMPP_ROOM, BridgedPair.text("one")).orElseThrow();
            carol.send(BridgedPair.MATRIX_ROOM, BridgedPair.text("two")).orElseThrow();
            p.settle();
            assertThat(p.relay.counters().relayed()).isEqualTo(relayed + 2);
            assertThat(p.relay.counters().forTheBot()).isEqualTo(before);

            p.join(DAVE);
            p.settle();
            assertThat(p.relay.counters().forTheBot()).isGreaterThan(before);
        }
    }

    @Test
    void aLeaverReadsNothingLaterAndAJoinerReadsFromThenOn() throws Exception {
        try (BridgedPair p = new BridgedPair(dir)) {
            MemberClient alice = p.creator(ALICE);
            MemberClient carol = p.join(CAROL);
            p.join(DAVE);
            p.settle();
            alice.send(BridgedPair.XMPP_ROOM, BridgedPair.text("before")).orElseThrow();
            p.settle();
            p.drainReceived();

            p.leave(CAROL);
            p.settle();
            assertThat(carol.epoch(BridgedPair.MATRIX_ROOM)).isEmpty();
            alice.send(BridgedPair.XMPP_ROOM, BridgedPair.text("after carol left")).orElseThrow();
            p.settle();
            Map<UserId, List<String>> got = p.drainReceived();
            assertThat(got.get(CAROL)).isEmpty();
            assertThat(got.get(DAVE)).containsExactly("after carol left");

            MemberClient bob = p.join(BOB);
            p.settle();
            MemberClient dave = p.members.get(DAVE);
            dave.send(BridgedPair.MATRIX_ROOM, BridgedPair.text("welcome bob")).orElseThrow();
            p.settle();
            got = p.drainReceived();
            assertThat(got.get(BOB)).containsExactly("welcome bob");
            assertThat(got.get(ALICE)).containsExactly("welcome bob");
            assertThat(got.get(CAROL)).isEmpty();
            assertThat(bob.groupMembers(BridgedPair.XMPP_ROOM)).containsExactlyInAnyOrder(ALICE, BOB, DAVE);
        }
    }
}
