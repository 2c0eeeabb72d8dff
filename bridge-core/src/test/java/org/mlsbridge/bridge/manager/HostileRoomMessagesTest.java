package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * A room member without MLS (mallory) posts garbage, a replayed ciphertext, a tampered
 * ciphertext, a truncated message and a forged commit: each is dropped and counted, state is
 * untouched, and the next good message works.
 */
class HostileRoomMessagesTest {
    @TempDir
    Path dir;

    @Test
    void hostileMessagesAreDroppedCountedAndHarmless() throws Exception {
        try (Harness h = new Harness(dir)) {
            MemberClient alice = h.creator("alice");
            MemberClient bob = h.member("bob");
            h.net.join(Harness.ROOM, bob.self());
            UserId mallory = Harness.user("mallory");
            h.net.join(Harness.ROOM, mallory);
            h.settle();
            assertThat(h.bot.legacyUsers(Harness.ROOM)).containsExactly(mallory);
            bob.send(Harness.ROOM, Harness.text("first"));
            h.settle();
            assertThat(alice.received()).hasSize(1);
            alice.acknowledge(alice.received().get(0));
            Bytes epochAuth = alice.epochAuthenticator(Harness.ROOM).orElseThrow();

            List<RoomEvent.RoomMessage> log = h.net.roomLog(Harness.ROOM);
            Bytes bobsCiphertext = log.get(log.size() - 1).payload();
            GroupInfo gi = log.stream().map(m -> decode(m.payload())).flatMap(Optional::stream)
                    .filter(m -> m.body() instanceof GroupInfo).map(m -> (GroupInfo) m.body())
                    .reduce((a, b) -> b).orElseThrow();
            byte[] tampered = bobsCiphertext.toByteArray();
            tampered[tampered.length - 5] ^= 0x40;
            FramedContent fc = new FramedContent(gi.groupContext().groupId(), gi.groupContext().epoch(),
                    new Sender.Member(LeafIndex.of(0)), Bytes.EMPTY,
                    new Content.CommitContent(new Commit(List.of(), Optional.empty())));
            Bytes forgedCommit = MlsMessage.of(new PublicMessage(fc,
                    new FramedContentAuthData(Bytes.wrap(new byte[64]), Optional.of(Bytes.wrap(new byte[32]))),
                    Optional.of(Bytes.wrap(new byte[32])))).encode();

            Transport m = h.net.connect(mallory);
            int n = 0;
            for (Bytes hostile : List.of(Bytes.wrap(new byte[] {0, 1, 2, 3, 4, 5}), bobsCiphertext,
                    Bytes.wrap(tampered), Bytes.wrap(java.util.Arrays.copyOf(tampered, 20)), forgedCommit,
                    Bytes.wrap(new byte[] {0, 1, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))) {
                m.sendToRoom(Harness.ROOM, new ClientMessageId("evil" + n++), hostile);
            }
            h.settle();
            for (MemberClient c : List.of(alice, bob)) {
                Counters k = c.counters();
                long counted = k.droppedMessages() + k.decryptionFailures() + k.rejectedCommits();
                // bob recognises the replay of his own ciphertext as his own message: nothing to count
                assertThat(counted).as(c.self() + " " + k).isGreaterThanOrEqualTo(c == alice ? 6 : 5);
                assertThat(k.rejectedCommits()).isEqualTo(1);
                assertThat(c.epochAuthenticator(Harness.ROOM)).contains(epochAuth);
            }
            assertThat(alice.counters().decryptionFailures()).isEqualTo(2); // replayed and tampered
            assertThat(h.bot.counters().rejectedCommits()).isEqualTo(1);
            assertThat(alice.received()).isEmpty();

            alice.send(Harness.ROOM, Harness.text("still fine"));
            h.settle();
            assertThat(bob.received()).extracting(r -> Harness.text(r.text())).containsExactly("still fine");
            // and the group still moves on
            h.net.leave(Harness.ROOM, mallory);
            bob.requestCommit(Harness.ROOM);
            h.settle();
            assertThat(bob.epochAuthenticator(Harness.ROOM)).isEqualTo(alice.epochAuthenticator(Harness.ROOM))
                    .isNotEqualTo(Optional.of(epochAuth));
        }
    }

    private static Optional<MlsMessage> decode(Bytes b) {
        try {
            return Optional.of(MlsMessage.decode(b));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
