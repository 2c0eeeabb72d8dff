package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that lost its state re-joins by external commit while another member's commit takes
 * the epoch: the interleavings of {@link ConcurrentChurnTest}'s re-join, driven one step at a time.
 */
class RejoinRaceTest {
    @TempDir
    Path dir;

    /**
     * Carol's commit is already in the room when bob (fresh, no state) has read everything, but
     * her GroupInfo for the next epoch is not yet: the newest GroupInfo bob holds names an epoch
     * that is already taken. An external commit on it can never win; bob must wait for the
     * GroupInfo that follows carol's commit instead of adopting his own losing commit when it
     * comes back.
     */
    @Test
    void aCommitAlreadyReadMakesTheNewestGroupInfoStale() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            MemberClient carol = h.member("carol");
            h.net.join(Harness.ROOM, bob.self());
            h.net.join(Harness.ROOM, carol.self());
            h.settle();
            long epoch = alice.epoch(Harness.ROOM).orElseThrow();

            bob = h.loseState(bob);
            carol.requestCommit(Harness.ROOM);
            carol.step(500, Duration.ZERO); // her commit goes out; her GroupInfo only once she reads it back
            assertThat(h.net.roomLog(Harness.ROOM).getLast().sender()).isEqualTo(carol.self());
            while (bob.step(500, Duration.ZERO) > 0) {
                // bob reads the whole room, carol's commit last; the empty poll after it re-joins
            }

            h.settle();
            assertThat(alice.epoch(Harness.ROOM)).contains(epoch + 2);
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isPresent()
                    .isEqualTo(alice.epochAuthenticator(Harness.ROOM));
            assertThat(bob.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self(),
                    carol.self());
            assertThat(bob.counters().rejoins()).isEqualTo(1);
            h.drainReceived();
            bob.send(Harness.ROOM, Harness.text("back"));
            h.settle();
            assertThat(h.drainReceived().get(alice.self())).containsExactly("back");
        }
    }
}
