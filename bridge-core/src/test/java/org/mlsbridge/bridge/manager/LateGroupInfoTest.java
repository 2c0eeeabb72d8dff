package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committer posts its GroupInfo only once it reads its own commit back; when it is slow, others
 * commit on top before that GroupInfo is in the room. The bot must still follow the group.
 */
class LateGroupInfoTest {
    @TempDir
    Path dir;

    @Test
    void theBotCatchesUpWhenTheNextGroupInfoComesAfterLaterCommits() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            long epoch = alice.epoch(Harness.ROOM).orElseThrow();

            alice.requestCommit(Harness.ROOM);
            alice.step(500, Duration.ZERO); // her commit goes out; she has not read it back yet
            bob.step(500, Duration.ZERO); // bob merges it
            bob.requestCommit(Harness.ROOM);
            bob.step(500, Duration.ZERO); // bob's commit on top of it
            bob.step(500, Duration.ZERO); // bob reads it back and posts his GroupInfo, before alice's
            assertThat(bob.epoch(Harness.ROOM)).contains(epoch + 2);

            h.settle();
            assertThat(alice.epoch(Harness.ROOM)).contains(epoch + 2);
            assertThat(h.bot.epoch(Harness.ROOM)).contains(epoch + 2);

            // and it goes on doing its job: a newcomer is added in the current epoch
            MemberClient carol = h.member("carol");
            h.net.join(Harness.ROOM, carol.self());
            h.settle();
            assertThat(alice.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self(),
                    carol.self());
            assertThat(carol.epochAuthenticator(Harness.ROOM)).isPresent()
                    .isEqualTo(alice.epochAuthenticator(Harness.ROOM));
            assertThat(h.bot.epoch(Harness.ROOM)).isEqualTo(alice.epoch(Harness.ROOM));
        }
    }
}
