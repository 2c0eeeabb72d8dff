package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;

/** bridge-core's member clients and external-sender bot talking MLS through a real Synapse. */
@ExtendWith(SynapseExtension.class)
class MatrixGroupTest {
    @TempDir
    Path dir;

    private final SynapseServer synapse;

    MatrixGroupTest(SynapseServer synapse) {
        this.synapse = synapse;
    }

    @Test
    void threeMembersAndTheBotChatAndALeaverCanNoLongerRead() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            MemberClient carol = h.member("carol");
            // a plain Matrix client with no MLS in the same room
            MatrixAccount plainAccount = h.world.account("plain");
            h.botTransport.invite(h.room, plainAccount.user());
            PlainClient plain = new PlainClient(plainAccount);
            h.world.connect("plain").join(h.room);
            h.join("bob");
            h.join("carol");
            h.settle();
            // bob and carol joined by the bot's Add proposals (KeyPackages claimed from /keys/claim)
            // and Welcomes sent to their MLS device
            assertThat(bob.epochAuthenticator(h.room)).isPresent().isEqualTo(alice.epochAuthenticator(h.room));
            assertThat(carol.epochAuthenticator(h.room)).isEqualTo(alice.epochAuthenticator(h.room));
            assertThat(h.bot.groupMembers(h.room)).containsExactlyInAnyOrder(alice.self(), bob.self(), carol.self());
            assertThat(h.bot.legacyUsers(h.room)).containsExactly(plainAccount.user());
            // the KeyPackage pools were topped up after the claims
            for (String n : List.of("bob", "carol")) {
                assertThat(h.transport(n).availableKeyPackages()).isGreaterThanOrEqualTo(h.options.keyPackagePool() / 2);
            }

            alice.send(h.room, MatrixHarness.text("hello from alice"));
            bob.send(h.room, MatrixHarness.text("hi alice, bob here"));
            carol.send(h.room, MatrixHarness.text("carol too"));
            h.settle();
            Map<String, List<String>> got = h.drainReceived();
            assertThat(got.get("alice")).containsExactly("hi alice, bob here", "carol too");
            assertThat(got.get("bob")).containsExactly("hello from alice", "carol too");
            assertThat(got.get("carol")).containsExactly("hello from alice", "hi alice, bob here");
            assertThat(alice.received()).isEmpty();

            h.leave("carol");
            h.settle();
            assertThat(alice.groupMembers(h.room)).containsExactlyInAnyOrder(alice.self(), bob.self());
            assertThat(carol.epoch(h.room)).isEmpty();
            alice.send(h.room, MatrixHarness.text("carol is gone"));
            bob.send(h.room, MatrixHarness.text("indeed"));
            h.settle();
            got = h.drainReceived();
            assertThat(got.get("bob")).containsExactly("carol is gone");
            assertThat(got.get("alice")).containsExactly("indeed");
            assertThat(got.get("carol")).isEmpty();
            for (MemberClient c : List.of(alice, bob, carol)) {
                assertThat(c.counters().decryptionFailures()).as(c.self().value()).isZero();
            }
            for (String n : List.of("alice", "bob", "carol")) {
                assertThat(h.transport(n).malformedEvents()).isZero();
            }

            // The plain client sees every MLS event of the room, but no plaintext in any of them.
            List<JsonObject> events = plain.events(h.room);
            List<byte[]> payloads = new ArrayList<>();
            for (JsonObject e : events) {
                if (MlsContent.ROOM_EVENT.equals(e.getString("type"))) {
                    payloads.add(Base64.getDecoder().decode(e.getJsonObject("content").getString("mls")));
                    assertThat(e.getJsonObject("content").fieldNames()).containsExactly("mls");
                }
            }
            assertThat(payloads).hasSizeGreaterThanOrEqualTo(5 + 2); // 5 application messages, commits, GroupInfos
            for (String secret : List.of("hello from alice", "bob here", "carol too", "carol is gone", "indeed")) {
                for (byte[] p : payloads) {
                    assertThat(new String(p, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);
                }
                assertThat(events.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void aMemberOfflineWhileOthersCommitAndChatCatchesUpInOrderOnceThroughALimitedSync() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir)) {
            MemberClient alice = h.creator("alice");
            h.member("bob");
            MemberClient carol = h.member("carol");
            h.join("bob");
            h.join("carol");
            h.settle();
            h.drainReceived();
            h.goOffline("bob");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                MemberClient sender = i % 2 == 0 ? alice : carol;
                String t = sender == alice ? "alice #" + i : "carol #" + i;
                assertThat(sender.send(h.room, MatrixHarness.text(t))).isPresent();
                expected.add(t);
                if (i == 20) {
                    carol.requestCommit(h.room); // a commit while bob is away
                    h.settle();
                }
                if (i == 40) {
                    h.member("dave"); // and a newcomer added by another commit
                    h.join("dave");
                    h.settle();
                }
            }
            h.settle();
            long epochsBefore = alice.epoch(h.room).orElseThrow();
            MemberClient bob = h.reopen("bob");
            h.settle();
            assertThat(h.transport("bob").gapsFilled()).as("bob's first sync was limited").isPositive();
            assertThat(bob.epoch(h.room)).contains(epochsBefore);
            assertThat(bob.epochAuthenticator(h.room)).isEqualTo(alice.epochAuthenticator(h.room));
            List<String> bobs = h.drainReceived().get("bob");
            assertThat(bobs).containsExactlyElementsOf(expected);
            assertThat(bob.counters().decryptionFailures()).isZero();
            // and he is a full member again
            bob.send(h.room, MatrixHarness.text("back"));
            h.settle();
            Map<String, List<String>> got = h.drainReceived();
            assertThat(got.get("alice")).containsExactly("back");
            assertThat(got.get("dave")).containsExactly("back");
        }
    }

    @Test
    void malformedEventContentFromARoomMemberIsDroppedAndCountedAndTheRoomKeepsWorking() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.join("bob");
            MatrixAccount malloryAccount = h.world.account("mallory");
            h.botTransport.invite(h.room, malloryAccount.user());
            h.world.connect("mallory").join(h.room);
            h.settle();
            long epoch = alice.epoch(h.room).orElseThrow();
            PlainClient mallory = new PlainClient(malloryAccount);
            List<JsonObject> bad = List.of(
                    new JsonObject(),
                    new JsonObject().put("mls", 5),
                    new JsonObject().put("mls", new io.vertx.core.json.JsonArray().add("AAAA")),
                    new JsonObject().put("mls", ""),
                    new JsonObject().put("mls", "not base64!"),
                    new JsonObject().put("mls", "AAE"), // unpadded
                    new JsonObject().put("mls", "AAF="), // non-canonical: unused bits set
                    new JsonObject().put("mls", "AA\nAA=="));
            int n = 0;
            for (JsonObject content : bad) {
                mallory.send(h.room, MlsContent.ROOM_EVENT, content, "bad" + n++);
            }
            // well-formed content whose bytes are no MLSMessage: the transport passes it, MLS drops it
            mallory.send(h.room, MlsContent.ROOM_EVENT, new JsonObject().put("mls", "AAECAwQF"), "garbage");
            // malformed Welcomes to bob's MLS device
            String bobId = h.world.account("bob").matrixUserId();
            mallory.sendToDevice(bobId, MlsContent.WELCOME_EVENT, new JsonObject().put("mls", 7).put("room_id",
                    h.room.value()), "w1");
            mallory.sendToDevice(bobId, MlsContent.WELCOME_EVENT, new JsonObject().put("mls", "AQID").put("room_id",
                    "not a room"), "w2");
            h.settle();
            assertThat(h.transport("alice").malformedEvents()).isEqualTo(bad.size());
            assertThat(h.transport("bob").malformedEvents()).isEqualTo(bad.size() + 2);
            for (MemberClient c : List.of(alice, bob)) {
                assertThat(c.counters().droppedMessages()).as(c.self().value()).isGreaterThanOrEqualTo(1);
                assertThat(c.epoch(h.room)).contains(epoch);
            }
            alice.send(h.room, MatrixHarness.text("still fine"));
            h.settle();
            assertThat(h.drainReceived().get("bob")).containsExactly("still fine");
            bob.requestCommit(h.room);
            h.settle();
            assertThat(bob.epoch(h.room)).contains(epoch + 1);
            assertThat(bob.epochAuthenticator(h.room)).isEqualTo(alice.epochAuthenticator(h.room));
        }
    }

    @Test
    void aCrashBetweenSendingAndStoringDoesNotSendTwice() throws Exception {
        try (MatrixHarness h = new MatrixHarness(synapse, dir)) {
            java.util.concurrent.atomic.AtomicBoolean loseNext = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CopyOnWriteArrayList<AckLosingTransport.Sent> sent =
                    new java.util.concurrent.CopyOnWriteArrayList<>();
            h.wrap = t -> new AckLosingTransport(t, loseNext, sent);
            h.creator("alice");
            MemberClient bob = h.member("bob");
            h.join("bob");
            h.settle();
            h.drainReceived();
            sent.clear();
            loseNext.set(true);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bob.send(h.room, MatrixHarness.text("only once")))
                    .isInstanceOfSatisfying(org.mlsbridge.bridge.transport.TransportException.class,
                            e -> assertThat(e.retryable()).isTrue());
            // bob dies before storing that the message went out; the new process sends its outbox again
            h.restart("bob");
            h.settle();
            assertThat(sent).hasSize(2);
            assertThat(sent.get(1).id()).isEqualTo(sent.get(0).id());
            assertThat(sent.get(1).serverId()).isEqualTo(sent.get(0).serverId());
            assertThat(h.drainReceived().get("alice")).containsExactly("only once");
            PlainClient observer = new PlainClient(h.world.account("bot"));
            long copies = observer.events(h.room).stream()
                    .filter(e -> sent.get(0).serverId().value().equals(e.getString("event_id"))).count();
            assertThat(copies).isEqualTo(1);
            List<String> contents = observer.events(h.room).stream()
                    .filter(e -> MlsContent.ROOM_EVENT.equals(e.getString("type")))
                    .map(e -> e.getJsonObject("content").getString("mls")).toList();
            assertThat(contents).doesNotHaveDuplicates();
        }
    }
}
