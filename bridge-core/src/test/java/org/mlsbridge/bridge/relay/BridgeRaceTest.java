package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.UserId;

/**
 * Commits for the same epoch sent at once from both networks reach the two rooms in opposite
 * server orders; the bridge's order decides, so every member converges on one epoch.
 */
class BridgeRaceTest {
    @TempDir
    Path dir;

    @Test
    void concurrentCommitsFromBothNetworksConverge() throws Exception {
        long seed = Long.getLong("race.seed", 20261204L);
        Random rnd = new Random(seed);
        try (BridgedPair p = new BridgedPair(dir)) {
            p.creator(UserId.xmpp("alice@example.org"));
            p.join(UserId.xmpp("bob@example.org"));
            p.join(UserId.matrix("@carol:example.org"));
            p.join(UserId.matrix("@dave:example.org"));
            p.settle();
            long relayedBefore = p.relay.counters().sequenced();
            for (int round = 0; round < 25; round++) {
                List<MemberClient> xs = p.members.values().stream()
                        .filter(c -> c.self().network() == UserId.Network.XMPP).toList();
                List<MemberClient> ms = p.members.values().stream()
                        .filter(c -> c.self().network() == UserId.Network.MATRIX).toList();
                MemberClient x = xs.get(rnd.nextInt(xs.size()));
                MemberClient m = ms.get(rnd.nextInt(ms.size()));
                x.requestCommit(BridgedPair.roomOf(x.self()));
                m.requestCommit(BridgedPair.roomOf(m.self()));
                // both commits are in their rooms before the bridge sees either
                for (MemberClient c : rnd.nextBoolean() ? List.of(x, m) : List.of(m, x)) {
                    c.step(1, java.time.Duration.ZERO);
                }
                p.settle(rnd);
                List<Long> epochs = p.members.values().stream()
                        .map(c -> c.epoch(BridgedPair.roomOf(c.self())).orElseThrow()).distinct().toList();
                assertThat(epochs).as("seed " + seed + " round " + round).hasSize(1);
                assertThat(p.members.values().stream()
                        .map(c -> c.epochAuthenticator(BridgedPair.roomOf(c.self())).orElseThrow()).distinct())
                        .as("seed " + seed + " round " + round).hasSize(1);
            }
            assertThat(p.relay.counters().sequenced()).isGreaterThan(relayedBefore + 25);
            long discarded = p.members.values().stream().mapToLong(c -> c.counters().discardedCommits()).sum();
            assertThat(discarded).as("losing commits were seen and discarded").isPositive();
        }
    }
}
