package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupStateCodec;

/** The bot in external-sender mode runs a 50-member room, and provably cannot read it. */
class FiftyMemberBotTest {
    @TempDir
    Path dir;

    @Test
    void botManagesFiftyMembersWithoutEverHoldingGroupSecrets() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("u00");
            List<MemberClient> all = new ArrayList<>(List.of(alice));
            for (int i = 1; i < 50; i++) {
                all.add(h.member(String.format("u%02d", i)));
            }
            h.settle();
            for (int i = 1; i < 50; i++) {
                h.net.join(Harness.ROOM, all.get(i).self());
                if (i % 10 == 0) {
                    h.settle(); // newcomers arrive in waves: several epochs of Adds
                }
            }
            h.settle();
            Set<UserId> expected = new HashSet<>();
            all.forEach(c -> expected.add(c.self()));
            assertThat(h.bot.groupMembers(Harness.ROOM)).isEqualTo(expected);
            Bytes auth = alice.epochAuthenticator(Harness.ROOM).orElseThrow();
            for (MemberClient c : all) {
                assertThat(c.epochAuthenticator(Harness.ROOM)).as(c.self().value()).contains(auth);
            }

            // Five leave, five are banned: the bot proposes their removal.
            for (int i = 40; i < 50; i++) {
                if (i % 2 == 0) {
                    h.net.leave(Harness.ROOM, all.get(i).self());
                } else {
                    h.net.ban(Harness.ROOM, all.get(i).self());
                }
                expected.remove(all.get(i).self());
            }
            h.settle();
            assertThat(h.bot.groupMembers(Harness.ROOM)).isEqualTo(expected);
            assertThat(alice.groupMembers(Harness.ROOM)).containsExactlyInAnyOrderElementsOf(expected);

            String secret = "the bot must never read this";
            all.get(7).send(Harness.ROOM, Bytes.wrap(secret.getBytes(StandardCharsets.UTF_8)));
            h.settle();
            int readers = 0;
            for (MemberClient c : all.subList(0, 40)) {
                for (ReceivedMessage m : c.received()) {
                    assertThat(Harness.text(m.text())).isEqualTo(secret);
                    readers++;
                }
            }
            assertThat(readers).isEqualTo(39);
            for (MemberClient c : all.subList(40, 50)) {
                assertThat(c.received()).isEmpty();
            }

            // Why the bot cannot decrypt: epoch secrets reach only leaves of the tree (UpdatePath
            // secrets and Welcomes), and the bot never had a leaf, never got a Welcome, and stores
            // no group state; it never produced plaintext.
            assertThat(h.bot.groupMembers(Harness.ROOM)).doesNotContain(h.botUser);
            assertThat(alice.groupMembers(Harness.ROOM)).doesNotContain(h.botUser);
            List<Delivery> botStream = h.net.connect(h.botUser).poll(Optional.empty(), 1_000_000, Duration.ZERO);
            assertThat(botStream).noneMatch(d -> d.event() instanceof RoomEvent.WelcomeReceived);
            // It did receive the ciphertext, like every room member.
            assertThat(botStream).anyMatch(d -> d.event() instanceof RoomEvent.RoomMessage m
                    && m.sender().equals(all.get(7).self()));
            assertThat(h.bot.counters().messagesIn()).isZero();
            h.bot.close();
            try (SqliteStore botDb = SqliteStore.open(dir.resolve(Harness.fileName(h.botUser) + ".db"), Harness.kek())) {
                for (Bytes id : botDb.mlsStorage().groupIds()) {
                    String name = new String(id.toByteArray(), StandardCharsets.UTF_8);
                    assertThat(name).as("only manager blobs, no MLS group state").startsWith("manager:");
                    byte[] blob = botDb.mlsStorage().loadGroupState(id).orElseThrow();
                    assertThat(new String(blob, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
                    boolean isGroupState;
                    try {
                        GroupStateCodec.decode(blob, GroupConfig.DEFAULT);
                        isGroupState = true;
                    } catch (Exception e) {
                        isGroupState = false;
                    }
                    assertThat(isGroupState).as(name + " is not a group state").isFalse();
                }
            }
            h.restartBot();
        }
    }
}
