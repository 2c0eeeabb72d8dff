package org.mlsbridge.bridge.store;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.KeyPackage;

/**
 * The child JVM of {@link CrashRecoveryTest}: a client processing a deterministic message stream,
 * one store transaction per message, that the test kills with SIGKILL at random moments.
 *
 * <p>Operation i (1-based) in one transaction: checks and replaces the group state (counter i-1
 * -> i, SHA-256 checksummed, 2-6 KB), consumes KeyPackage i (checking its private key) and
 * stores KeyPackage i+1, marks message m-i delivered and puts it in the inbox, advances the
 * cursor to i, keeps resumption PSKs of the last 5 epochs, and queues 1-3 outbox messages. After
 * the commit it "sends" the outbox (appends id and payload hash to the wire log) and then removes
 * the sent messages in a second transaction: a kill in between resends with the same ids.
 *
 * <p>Besides the test's random SIGKILLs, two environment variables halt it at chosen points: inside
 * operation N's transaction after all its writes (CRASH_IN_TX_AT=N), and after sending operation
 * N's outbox but before recording the sends (CRASH_AFTER_SEND_AT=N).
 *
 * <p>On start it checks everything a crash could have broken and exits with a distinct status
 * (and a message on stderr) if anything is inconsistent.
 */
public final class CrashWorker {
    static final Bytes GROUP = Bytes.fromHex("c0ffee");
    static final String STREAM = "room";
    static final int PSK_WINDOW = 5;
    /** Exit status of a deliberate halt at a chosen point (env CRASH_IN_TX_AT, CRASH_AFTER_SEND_AT). */
    static final int HALTED = 99;

    private CrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path wireLog = Path.of(args[1]);
        int total = Integer.parseInt(args[2]);
        int haltInTransactionAt = Integer.parseInt(System.getenv().getOrDefault("CRASH_IN_TX_AT", "-1"));
        int haltAfterSendAt = Integer.parseInt(System.getenv().getOrDefault("CRASH_AFTER_SEND_AT", "-1"));
        KeyEncryptionKey kek = KeyEncryptionKeys.fromEnvironment("MLSBRIDGE_TEST_KEK");
        KeyPackage template = KeyPackageBuilder.forIdentity(TestKeys.identity("worker")).build().keyPackage();
        try (SqliteStore store = SqliteStore.open(db, kek);
             OutputStream wire = new FileOutputStream(wireLog.toFile(), true)) {
            store.transaction(tx -> {
                if (tx.cursor(STREAM).isEmpty() && tx.mls().loadGroupState(GROUP).isEmpty()) {
                    tx.mls().saveGroupState(GROUP, state(0));
                    tx.mls().saveKeyPackage(ref(1), bundle(template, 1));
                    tx.setCursor(STREAM, "0");
                }
            });
            int done = Integer.parseInt(store.transactionResult(tx -> tx.cursor(STREAM).orElseThrow()));
            sendOutbox(store, wire, false); // what the killed run queued but may not have sent
            replay(store, done);
            System.out.println("READY " + done);
            System.out.flush();
            for (int i = done + 1; i <= total; i++) {
                int op = i;
                store.transaction(tx -> {
                    operation(tx, template, op);
                    if (op == haltInTransactionAt) {
                        Runtime.getRuntime().halt(HALTED); // everything written, nothing committed
                    }
                });
                sendOutbox(store, wire, op == haltAfterSendAt);
                System.out.println("OP " + op); // lets the test aim its kills across the whole run
                System.out.flush();
            }
            System.out.println("DONE " + total);
        }
    }

    private static void operation(StoreTransaction tx, KeyPackage template, int i) {
        byte[] old = tx.mls().loadGroupState(GROUP).orElseThrow(() -> fail(10, "group state missing at op " + i));
        long counter = checkState(old);
        if (counter != i - 1) {
            throw fail(11, "group state counter " + counter + " but cursor says op " + i + " is next");
        }
        KeyPackageBundle kp = tx.mls().consumeKeyPackage(ref(i))
                .orElseThrow(() -> fail(12, "KeyPackage " + i + " missing: lost or already used"));
        if (!kp.initPrivateKey().equals(Secret.of(derive("init", i, 0, 32)))) {
            throw fail(13, "KeyPackage " + i + " holds the wrong private key");
        }
        if (tx.mls().loadKeyPackage(ref(i + 1)).isPresent()) {
            throw fail(14, "KeyPackage " + (i + 1) + " exists before op " + i);
        }
        tx.mls().saveKeyPackage(ref(i + 1), bundle(template, i + 1));
        if (!tx.markDelivered(STREAM, messageId(i))) {
            throw fail(15, "message " + i + " was already delivered but the cursor is before it");
        }
        tx.addInbox(new InboxMessage(messageId(i), STREAM, "peer", Bytes.wrap(derive("msg", i, 0, 64))));
        tx.mls().saveGroupState(GROUP, state(i));
        tx.mls().saveResumptionPsk(GROUP, i, Secret.wrap(derive("psk", i, 0, 32)));
        tx.mls().deleteResumptionPsksBefore(GROUP, i - PSK_WINDOW + 1);
        tx.setCursor(STREAM, Integer.toString(i));
        for (int k = 0; k < outboxCount(i); k++) {
            tx.enqueueOutbox(OutboxMessage.of(outboxId(i, k), STREAM, "mls", Bytes.wrap(outboxPayload(i, k))));
        }
    }

    /** The transport replays a few messages before the cursor; none may be processed again. */
    private static void replay(SqliteStore store, int done) {
        for (int i = Math.max(1, done - 2); i <= done; i++) {
            int op = i;
            store.transaction(tx -> {
                if (tx.markDelivered(STREAM, messageId(op))) {
                    throw fail(16, "message " + op + " is before the cursor but was not marked delivered");
                }
            });
        }
    }

    private static void sendOutbox(SqliteStore store, OutputStream wire, boolean haltAfterSend) throws IOException {
        List<OutboxMessage> pending = store.transactionResult(tx -> tx.outbox(100));
        if (pending.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (OutboxMessage m : pending) {
            lines.append(m.id()).append(' ').append(hex(sha256(m.payload().toByteArray()))).append('\n');
        }
        wire.write(lines.toString().getBytes(StandardCharsets.US_ASCII)); // "the transport accepted them"
        wire.flush();
        if (haltAfterSend) {
            Runtime.getRuntime().halt(HALTED); // sent, but the outbox still says unsent
        }
        store.transaction(tx -> pending.forEach(m -> tx.removeOutbox(m.id())));
    }

    // ---- the deterministic content both the worker and the test compute

    static int outboxCount(int i) {
        return 1 + i % 3;
    }

    static String outboxId(int i, int k) {
        return "out-" + i + "-" + k;
    }

    static byte[] outboxPayload(int i, int k) {
        return derive("out", i, k, 40 + k);
    }

    static String messageId(int i) {
        return "m-" + i;
    }

    static Bytes ref(int i) {
        return Bytes.wrap(derive("ref", i, 0, 32));
    }

    static KeyPackageBundle bundle(KeyPackage template, int i) {
        return new KeyPackageBundle(template, Secret.wrap(derive("init", i, 0, 32)), Secret.wrap(derive("enc", i, 0, 32)));
    }

    /** counter (8) || SHA-256(counter || body) (32) || body (2-6 KB, derived from the counter). */
    static byte[] state(long counter) {
        byte[] body = derive("state", (int) counter, 0, 2000 + (int) (counter * 37 % 4000));
        ByteBuffer b = ByteBuffer.allocate(8 + 32 + body.length);
        b.putLong(counter);
        b.put(sha256(ByteBuffer.allocate(8).putLong(counter).array(), body));
        b.put(body);
        return b.array();
    }

    /** The state's counter, after checking its checksum and that its body is the one for that counter. */
    static long checkState(byte[] state) {
        if (state.length < 40) {
            throw fail(20, "group state too short");
        }
        ByteBuffer b = ByteBuffer.wrap(state);
        long counter = b.getLong();
        byte[] sum = new byte[32];
        b.get(sum);
        byte[] body = Arrays.copyOfRange(state, 40, state.length);
        if (!Arrays.equals(sum, sha256(Arrays.copyOf(state, 8), body)) || !Arrays.equals(state, state(counter))) {
            throw fail(21, "group state checksum mismatch at counter " + counter);
        }
        return counter;
    }

    static byte[] derive(String label, int i, int k, int length) {
        byte[] out = new byte[length];
        byte[] seed = (label + "/" + i + "/" + k).getBytes(StandardCharsets.US_ASCII);
        for (int off = 0, block = 0; off < length; off += 32, block++) {
            byte[] h = sha256(seed, ByteBuffer.allocate(4).putInt(block).array());
            System.arraycopy(h, 0, out, off, Math.min(32, length - off));
        }
        return out;
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static RuntimeException fail(int status, String message) {
        System.err.println("INCONSISTENT: " + message);
        System.err.flush();
        Runtime.getRuntime().halt(status);
        return new IllegalStateException(message);
    }
}
