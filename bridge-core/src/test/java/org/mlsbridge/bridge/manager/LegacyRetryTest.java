package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.UserId;

/**
 * A user seen in the room before their client published KeyPackages is a legacy user only for
 * now: the bot claims again later, without waiting for another join event.
 */
class LegacyRetryTest {
    @TempDir
    Path dir;

    @Test
    void aUserWhoPublishesKeyPackagesAfterEnteringIsAddedLater() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            h.settle();
            UserId carol = Harness.user("carol");
            h.net.join(Harness.ROOM, carol); // in the room before her client ever ran
            h.settle();
            assertThat(h.bot.legacyUsers(Harness.ROOM)).containsExactly(carol);

            h.member("carol"); // her client starts and publishes KeyPackages; no new join event
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!alice.groupMembers(Harness.ROOM).contains(carol) && System.nanoTime() < deadline) {
                h.settle();
                Thread.sleep(100);
            }
            assertThat(alice.groupMembers(Harness.ROOM)).contains(carol);
            assertThat(h.bot.legacyUsers(Harness.ROOM)).isEmpty();
        }
    }
}
