package org.mlsbridge.bridge.store;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;

/**
 * The child JVM of {@link GroupCrashRecoveryTest}: Bob, a real MLS member, joins from a Welcome
 * and processes Alice's room traffic (application messages and commits, pre-recorded by the
 * test, one per line of the transcript), answering every third message with an encrypted reply.
 * Each room message is one store transaction: group state, inbox, dedup, cursor and outbox. Bob's
 * group is bound to the store ({@code MlsGroup.persistIn}): the worker never saves its state by
 * hand; the group's own saves join the message's transaction.
 * Replies are sent (appended to the wire log as "id base64") only after the commit.
 * CRASH_IN_TX_AT=N halts inside message N's transaction after all its writes; CRASH_AFTER_SEND_AT=N
 * halts after sending message N's reply but before removing it from the outbox, so the next run
 * sends it again, under the same id and with the same ciphertext.
 */
public final class GroupCrashWorker {
    static final String ROOM = "room";

    private GroupCrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        List<String> transcript = Files.readAllLines(Path.of(args[1]), StandardCharsets.US_ASCII);
        Path wireLog = Path.of(args[2]);
        int haltAt = Integer.parseInt(System.getenv().getOrDefault("CRASH_IN_TX_AT", "-1"));
        int haltAfterSendAt = Integer.parseInt(System.getenv().getOrDefault("CRASH_AFTER_SEND_AT", "-1"));
        KeyEncryptionKey kek = KeyEncryptionKeys.fromEnvironment("MLSBRIDGE_TEST_KEK");
        endCutLine(wireLog);
        try (SqliteStore store = SqliteStore.open(db, kek);
             OutputStream wire = new FileOutputStream(wireLog.toFile(), true)) {
            MlsGroup bob = store.transactionResult(tx -> joinOrLoad(store, tx, transcript.get(0)));
            int done = Integer.parseInt(store.transactionResult(tx -> tx.cursor(ROOM).orElseThrow()));
            for (int i = Math.max(1, done - 2); i <= done; i++) {
                int op = i;
                store.transaction(tx -> {
                    if (tx.markDelivered(ROOM, messageId(op))) {
                        throw fail("message " + op + " is before the cursor but was not marked delivered");
                    }
                });
            }
            sendOutbox(store, wire, false);
            System.out.println("READY " + done);
            System.out.flush();
            for (int i = done + 1; i < transcript.size(); i++) {
                int op = i;
                MlsMessage message = MlsMessage.decode(Base64.getDecoder().decode(transcript.get(i).substring(2)));
                store.transaction(tx -> {
                    if (!tx.markDelivered(ROOM, messageId(op))) {
                        throw fail("message " + op + " delivered twice");
                    }
                    ProcessedMessage processed = bob.process(message);
                    switch (processed) {
                        case ApplicationMessage a -> tx.addInbox(new InboxMessage(messageId(op), ROOM, "alice", a.data()));
                        case StagedCommit c -> bob.merge(c);
                        default -> throw fail("unexpected " + processed);
                    }
                    if (op % 3 == 0) {
                        MlsMessage reply = bob.encrypt(("bob-" + op).getBytes(StandardCharsets.US_ASCII));
                        tx.enqueueOutbox(OutboxMessage.of(replyId(op), ROOM, "mls", reply.encode()));
                    }
                    tx.setCursor(ROOM, Integer.toString(op));
                    if (op == haltAt) {
                        Runtime.getRuntime().halt(CrashWorker.HALTED);
                    }
                });
                sendOutbox(store, wire, op == haltAfterSendAt);
                System.out.println("OP " + op);
                System.out.flush();
            }
            System.out.println("DONE");
        }
    }

    private static MlsGroup joinOrLoad(SqliteStore store, StoreTransaction tx, String welcomeLine)
            throws MlsException {
        MlsClient client = MlsClient.load(store.mlsStorage(), "bob", GroupConfig.DEFAULT).orElseThrow();
        Optional<Room> room = tx.room(ROOM);
        if (room.isPresent()) {
            Bytes groupId = room.get().groupId().orElseThrow();
            return client.loadGroup(groupId).orElseThrow(() -> fail("room without group state"));
        }
        Welcome welcome = MlsMessage.decodeWelcome(Bytes.wrap(Base64.getDecoder().decode(welcomeLine.substring(2))));
        MlsGroup bob = client.join(welcome);
        tx.putRoom(new Room(ROOM, Optional.of(bob.groupId()), "client"));
        tx.setCursor(ROOM, "0");
        return bob;
    }

    private static void sendOutbox(SqliteStore store, OutputStream wire, boolean haltAfterSend) throws IOException {
        List<OutboxMessage> pending = store.transactionResult(tx -> tx.outbox(100));
        if (pending.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (OutboxMessage m : pending) {
            lines.append(m.id()).append(' ').append(Base64.getEncoder().encodeToString(m.payload().toByteArray()))
                    .append('\n');
        }
        wire.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
        wire.flush();
        if (haltAfterSend) {
            Runtime.getRuntime().halt(CrashWorker.HALTED); // sent, but the outbox still says unsent
        }
        store.transaction(tx -> pending.forEach(m -> tx.removeOutbox(m.id())));
    }

    /** A SIGKILL inside write() can cut the last line; end it so the next send starts a line of its own. */
    private static void endCutLine(Path wireLog) throws IOException {
        if (!Files.exists(wireLog) || Files.size(wireLog) == 0) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(wireLog.toFile(), "rw")) {
            f.seek(f.length() - 1);
            if (f.read() != '\n') {
                f.write('\n');
            }
        }
    }

    static String messageId(int i) {
        return "m-" + i;
    }

    static String replyId(int i) {
        return "bob-" + i;
    }

    private static RuntimeException fail(String message) {
        System.err.println("INCONSISTENT: " + message);
        System.err.flush();
        Runtime.getRuntime().halt(3);
        return new IllegalStateException(message);
    }
}
