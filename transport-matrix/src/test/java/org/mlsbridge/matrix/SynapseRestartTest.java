package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * Synapse is killed and started again in the middle of a conversation (messages and a commit in
 * flight, a send whose answer was lost): every client recovers, nothing is lost, nothing arrives
 * twice, and the homeserver's transaction ids still de-duplicate after the restart.
 */
class SynapseRestartTest {
    @TempDir
    Path dir;

    @Test
    void everyClientRecoversWithNothingLostOrDuplicated() throws Exception {
        try (SynapseServer synapse = SynapseServer.start(); MatrixHarness h = new MatrixHarness(synapse, dir)) {
            AtomicBoolean loseNext = new AtomicBoolean();
            CopyOnWriteArrayList<AckLosingTransport.Sent> sent = new CopyOnWriteArrayList<>();
            h.wrap = t -> new AckLosingTransport(t, loseNext, sent);
            h.creator("alice");
            for (String n : List.of("bob", "carol")) {
                h.member(n);
                h.join(n);
            }
            h.settle();
            h.drainReceived();
            List<String> texts = new ArrayList<>();
            Map<String, String> author = new HashMap<>();
            String[] names = {"alice", "bob", "carol"};
            for (int i = 0; i < 6; i++) {
                send(h, names[i % 3], "before #" + i, texts, author);
            }
            h.settle();
            // bob's next message reaches the server but bob never learns it: then the server dies
            loseNext.set(true);
            send(h, "bob", "lost answer", texts, author);
            synapse.kill();
            Thread restarter = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1_000);
                    synapse.startAgain();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            h.members.get("carol").requestCommit(h.room);
            for (int i = 0; i < 6; i++) {
                send(h, names[(i + 1) % 3], "during #" + i, texts, author);
            }
            restarter.join();
            // the outage was seen and ridden out by retries, not by luck
            assertThat(h.world.retries()).isPositive();
            // bob crashed too: his new process sends the outbox again, with the same transaction id
            h.restart("bob");
            h.settle();
            for (int i = 0; i < 6; i++) {
                send(h, names[i % 3], "after #" + i, texts, author);
            }
            h.member("dave");
            h.join("dave");
            h.settle();

            Map<String, List<ReceivedMessage>> got = new HashMap<>();
            for (Map.Entry<String, MemberClient> e : h.members.entrySet()) {
                got.put(e.getKey(), e.getValue().received());
            }
            for (String n : names) {
                List<String> mine = got.get(n).stream().map(m -> MatrixHarness.text(m.text())).toList();
                List<String> expected = texts.stream().filter(t -> !author.get(t).equals(n)).toList();
                assertThat(mine).as(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
            }
            // one room order: any two members read the messages they share in the same order
            List<String> byAlice = got.get("alice").stream().map(m -> m.id()).toList();
            List<String> byBob = got.get("bob").stream().map(m -> m.id()).toList();
            List<String> shared = byAlice.stream().filter(byBob::contains).toList();
            assertThat(byBob.stream().filter(shared::contains).toList()).isEqualTo(shared);
            MemberClient alice = h.members.get("alice");
            for (MemberClient c : h.members.values()) {
                assertThat(c.epochAuthenticator(h.room)).as(c.self().value()).isEqualTo(alice.epochAuthenticator(h.room));
                assertThat(c.counters().decryptionFailures()).isZero();
            }
            // the resend after the restart got the event id of the first attempt
            List<AckLosingTransport.Sent> lost = sent.stream()
                    .filter(s -> sent.stream().filter(o -> o.id().equals(s.id())).count() > 1).toList();
            assertThat(lost).isNotEmpty();
            assertThat(lost.stream().map(AckLosingTransport.Sent::serverId).distinct()).hasSize(1);
            List<String> contents = new PlainClient(h.world.account("bot")).events(h.room).stream()
                    .filter(e -> MlsContent.ROOM_EVENT.equals(e.getString("type")))
                    .map(e -> e.getJsonObject("content").getString("mls")).toList();
            assertThat(contents).doesNotHaveDuplicates();
        }
    }

    /** Sends until the message is queued (a failure after queueing leaves it in the outbox). */
    private static void send(MatrixHarness h, String name, String text, List<String> texts,
            Map<String, String> author) throws Exception {
        texts.add(text);
        author.put(text, name);
        for (int attempt = 0; attempt < 60; attempt++) {
            MemberClient c = h.members.get(name);
            long before = c.counters().messagesOut();
            try {
                c.send(h.room, MatrixHarness.text(text)).orElseThrow();
                return;
            } catch (TransportException e) {
                if (!e.retryable()) {
                    throw e;
                }
                if (c.counters().messagesOut() > before) {
                    return; // queued; the outbox sends it later
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("could not queue " + text);
    }
}
