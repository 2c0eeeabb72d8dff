package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerFlowTest {
    @TempDir
    Path dir;

    @Test
    void botAddsNewcomersMembersTalkAndARemovedMemberCannotRead() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            MemberClient carol = h.member("carol");
            h.settle();
            h.net.join(Harness.ROOM, bob.self());
            h.net.join(Harness.ROOM, carol.self());
            h.settle();
            assertThat(bob.epoch(Harness.ROOM)).isPresent();
            assertThat(carol.epoch(Harness.ROOM)).isPresent();
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isEqualTo(alice.epochAuthenticator(Harness.ROOM));
            assertThat(carol.epochAuthenticator(Harness.ROOM)).isEqualTo(alice.epochAuthenticator(Harness.ROOM));
            assertThat(h.bot.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self(),
                    carol.self());
            alice.send(Harness.ROOM, Harness.text("hello"));
            bob.send(Harness.ROOM, Harness.text("hi alice"));
            h.settle();
            var got = h.drainReceived();
            assertThat(got.get(alice.self())).containsExactly("hi alice");
            assertThat(got.get(bob.self())).containsExactly("hello");
            assertThat(got.get(carol.self())).containsExactly("hello", "hi alice");
            h.net.leave(Harness.ROOM, carol.self());
            h.settle();
            assertThat(alice.groupMembers(Harness.ROOM)).containsExactlyInAnyOrder(alice.self(), bob.self());
            alice.send(Harness.ROOM, Harness.text("carol is gone"));
            h.settle();
            got = h.drainReceived();
            assertThat(got.get(bob.self())).containsExactly("carol is gone");
            assertThat(got.get(carol.self())).isEmpty();
            for (MemberClient c : List.of(alice, bob)) {
                assertThat(c.counters().decryptionFailures()).isZero();
            }
            assertThat(h.bot.counters().messagesIn()).isZero();
        }
    }

    @Test
    void aRefusedCursorRestartsTheStreamWithoutDuplicates() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            alice.send(Harness.ROOM, Harness.text("one"));
            h.settle();
            assertThat(bob.received()).hasSize(1);
            bob.store().transaction(tx -> {
                tx.setCursor(new org.mlsbridge.bridge.transport.Cursor("mem:999999"));
                return null;
            });
            alice.send(Harness.ROOM, Harness.text("two"));
            h.settle();
            assertThat(bob.received()).extracting(m -> Harness.text(m.text())).containsExactly("one", "two");
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isEqualTo(alice.epochAuthenticator(Harness.ROOM));
            assertThat(bob.counters().decryptionFailures()).isZero();
        }
    }

    @Test
    void aBotStartingInARoomMidwayTakesItsMembersFromTheTransport() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.net.leave(Harness.ROOM, h.botUser);
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            h.settle();
            assertThat(bob.epoch(Harness.ROOM)).isEmpty(); // nobody manages the room yet
            // the bot arrives after bob: no join event tells it about him
            h.net.join(Harness.ROOM, h.botUser);
            h.bot.follow(Harness.ROOM);
            alice.requestCommit(Harness.ROOM); // any commit posts a GroupInfo, the bot's public view
            h.settle();
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isPresent()
                    .isEqualTo(alice.epochAuthenticator(Harness.ROOM));
        }
    }

    @Test
    void keyPackagePoolIsToppedUpAsJoinsUseIt() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            var bobsDirectory = h.net.connect(bob.self());
            assertThat(bobsDirectory.availableKeyPackages()).isEqualTo(h.options.keyPackagePool());
            java.util.List<org.mlsbridge.bridge.transport.RoomId> rooms = new java.util.ArrayList<>();
            rooms.add(Harness.ROOM);
            for (int i = 2; i <= 4; i++) {
                var room = new org.mlsbridge.bridge.transport.RoomId("room" + i + "@muc.example");
                h.net.join(room, h.botUser);
                h.net.join(room, alice.self());
                h.settle();
                alice.createGroup(room, java.util.List.of(alice.externalSenderOf(h.botUser)));
                rooms.add(room);
            }
            for (var room : rooms) {
                h.net.join(room, bob.self());
                h.settle();
                assertThat(bob.epochAuthenticator(room)).isPresent().isEqualTo(alice.epochAuthenticator(room));
            }
            // four joins used four one-time KeyPackages; the pool was refilled along the way
            assertThat(bobsDirectory.availableKeyPackages()).isGreaterThanOrEqualTo(h.options.keyPackagePool() / 2 + 1);
        }
    }
}
