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
}
