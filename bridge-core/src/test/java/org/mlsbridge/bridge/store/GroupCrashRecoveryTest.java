package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;

/**
 * Real MLS across crashes: Bob ({@link GroupCrashWorker}, a child JVM) processes Alice's
 * messages and commits and replies, and is killed with SIGKILL at random moments. After each
 * restart his stored group state must still process Alice's next commits and messages; at the
 * end his epoch authenticator equals Alice's, every message of Alice was read exactly once, and
 * Alice decrypts each of Bob's replies exactly once: had Bob reused a ratchet generation for a
 * different reply after a crash, her second decryption at that generation would fail. A reply
 * killed after its send but before its removal from the outbox is sent again on restart: that
 * resend must repeat its id and ciphertext (the receiver dedups by id), it is not a duplicate.
 * Kill points come from -Dcrash.seed (random and reported on failure unless given).
 */
class GroupCrashRecoveryTest {
    static final int MESSAGES = 300;
    static final int COMMIT_EVERY = 8;
    static final int KILLS = 6;
    /** Answered (a multiple of 3) and not a commit: Bob halts with this reply both sent and queued. */
    static final int HALT_AFTER_SEND_AT = 30;

    @TempDir
    Path dir;

    @Test
    void bobSurvivesSigkillsWithoutReusingSecrets() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("group crash test: -Dcrash.seed=" + seed);
        try {
            run(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("kill points from -Dcrash.seed=" + seed + ": " + e.getMessage(), e);
        }
    }

    private void run(long seed) throws Exception {
        Path db = dir.resolve("bob.db");
        Path transcript = dir.resolve("transcript.txt");
        Path wire = dir.resolve("wire.log");
        GroupConfig config = GroupConfig.DEFAULT;

        SignatureIdentity aliceId = TestKeys.identity("alice");
        SignatureIdentity bobId = TestKeys.identity("bob");
        KeyPackageBundle bobKp = KeyPackageBuilder.forIdentity(bobId).build();
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            store.mlsStorage().saveSignatureIdentity("bob", bobId);
            store.mlsStorage().saveKeyPackage(bobKp.ref(TestKeys.PROVIDER), bobKp);
        }
        MlsGroup alice = MlsGroup.create(aliceId, List.of(), config, PskLookup.none());
        CommitOutput add = alice.commit(CommitOptions.of(new Proposal.Add(bobKp.keyPackage())));
        alice.mergePendingCommit();
        List<String> lines = new ArrayList<>();
        lines.add("W " + b64(add.welcomeMessage().orElseThrow()));
        Map<Long, byte[]> aliceAtEpoch = new HashMap<>();
        long[] epochAfter = new long[MESSAGES + 1];
        epochAfter[0] = alice.epoch();
        for (int i = 1; i <= MESSAGES; i++) {
            if (i % COMMIT_EVERY == 0) {
                aliceAtEpoch.put(alice.epoch(), GroupStateCodec.encode(alice.state()));
                CommitOutput c = alice.commit(CommitOptions.empty());
                alice.mergePendingCommit();
                lines.add("C " + b64(c.commit()));
            } else {
                lines.add("A " + b64(alice.encrypt(("alice-" + i).getBytes(StandardCharsets.US_ASCII))));
            }
            epochAfter[i] = alice.epoch();
        }
        aliceAtEpoch.put(alice.epoch(), GroupStateCodec.encode(alice.state()));
        Files.write(transcript, lines, StandardCharsets.US_ASCII);

        Random random = new Random(seed);
        List<Integer> progress = new ArrayList<>();
        int kills = 0;
        List<String> runs = new ArrayList<>();
        runs.add("halt");
        runs.add("halt-after-send");
        for (int k = 0; k < KILLS; k++) {
            runs.add("kill");
        }
        runs.add("finish");
        for (String run : runs) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", ChildJvm.sqliteTmpdirFlag(), "-cp", System.getProperty("java.class.path"),
                    GroupCrashWorker.class.getName(), db.toString(), transcript.toString(), wire.toString());
            pb.environment().put("MLSBRIDGE_TEST_KEK", TestKeys.GOLDEN_KEK_BASE64);
            if (run.equals("halt")) {
                pb.environment().put("CRASH_IN_TX_AT", "20");
            }
            if (run.equals("halt-after-send")) {
                pb.environment().put("CRASH_AFTER_SEND_AT", Integer.toString(HALT_AFTER_SEND_AT));
            }
            pb.redirectError(dir.resolve("worker.err").toFile());
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            String ready = out.readLine();
            assertThat(ready).as("worker start (stderr: %s)", stderr()).startsWith("READY ");
            progress.add(Integer.parseInt(ready.substring(6)));
            if (run.equals("kill")) {
                int done = progress.get(progress.size() - 1);
                CrashRecoveryTest.killAround(p, out, done + 1 + random.nextInt(MESSAGES * 3 / (2 * KILLS)), random);
                kills++;
            } else {
                out.lines().forEach(line -> { });
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            int expected = switch (run) {
                case "halt", "halt-after-send" -> CrashWorker.HALTED;
                case "kill" -> 137;
                default -> 0;
            };
            assertThat(p.exitValue()).as("worker exit (stderr: %s)", stderr()).isIn(0, expected);
            int done = verifyBob(db, wire, epochAfter);
            if (run.equals("halt")) {
                assertThat(done).isEqualTo(19);
            }
            if (run.equals("halt-after-send")) {
                assertThat(done).isEqualTo(HALT_AFTER_SEND_AT);
            }
        }
        assertThat(verifyBob(db, wire, epochAfter)).isEqualTo(MESSAGES);
        assertThat(Files.readAllLines(wire, StandardCharsets.US_ASCII).stream()
                .filter(l -> l.startsWith(GroupCrashWorker.replyId(HALT_AFTER_SEND_AT) + " ")).count())
                .as("the reply halted between send and removal is sent again, under its id").isEqualTo(2);

        // Bob's final state agrees with Alice's
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            byte[] state = store.mlsStorage().loadGroupState(alice.groupId()).orElseThrow();
            MlsGroup bob = MlsGroup.resume(GroupStateCodec.decode(state, config), config, PskLookup.none());
            assertThat(bob.epoch()).isEqualTo(alice.epoch());
            assertThat(bob.epochAuthenticator()).isEqualTo(alice.epochAuthenticator());
        }
        // Alice reads each of Bob's replies exactly once, at the epoch it was sent in
        Map<String, String> sent = readWire(wire);
        TreeMap<Integer, String> byOp = new TreeMap<>();
        sent.forEach((id, b64) -> byOp.put(Integer.parseInt(id.substring(4)), b64));
        assertThat(byOp.keySet()).hasSize(MESSAGES / 3);
        Map<Long, MlsGroup> aliceViews = new HashMap<>();
        for (var e : byOp.entrySet()) {
            long epoch = epochAfter[e.getKey()];
            MlsGroup view = aliceViews.computeIfAbsent(epoch, ep -> {
                try {
                    return MlsGroup.resume(GroupStateCodec.decode(aliceAtEpoch.get(ep), config), config, PskLookup.none());
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            ApplicationMessage m = (ApplicationMessage) view.process(
                    MlsMessage.decode(Base64.getDecoder().decode(e.getValue())));
            assertThat(m.data()).isEqualTo(Bytes.of(("bob-" + e.getKey()).getBytes(StandardCharsets.US_ASCII)));
        }
        System.out.printf("group crash test: seed %d, %d messages (%d commits), %d kills, restarts at %s, %d replies%n",
                seed, MESSAGES, MESSAGES / COMMIT_EVERY, kills, progress, byOp.size());
    }

    private int verifyBob(Path db, Path wire, long[] epochAfter) throws Exception {
        Map<String, String> sent = readWire(wire);
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            return store.transactionResult(tx -> {
                int done = tx.cursor(GroupCrashWorker.ROOM).map(Integer::parseInt).orElse(0);
                if (tx.room(GroupCrashWorker.ROOM).isEmpty()) {
                    assertThat(done).isZero();
                    return 0;
                }
                Bytes groupId = tx.room(GroupCrashWorker.ROOM).orElseThrow().groupId().orElseThrow();
                byte[] state = tx.mls().loadGroupState(groupId).orElseThrow();
                MlsGroup bob = MlsGroup.resume(GroupStateCodec.decode(state, GroupConfig.DEFAULT), GroupConfig.DEFAULT,
                        PskLookup.none());
                assertThat(bob.epoch()).as("epoch after message %d", done).isEqualTo(epochAfter[done]);
                assertThat(tx.mls().keyPackageRefs()).as("the KeyPackage was used up by the join").isEmpty();
                List<String> read = tx.inbox(MESSAGES + 1).stream().map(m -> m.id()).toList();
                List<String> expectedRead = new ArrayList<>();
                for (int i = 1; i <= done; i++) {
                    if (i % COMMIT_EVERY != 0) {
                        expectedRead.add(GroupCrashWorker.messageId(i));
                    }
                }
                assertThat(read).isEqualTo(expectedRead);
                // A reply killed between its send and its removal from the outbox is in both: that is
                // the at-least-once resend, legitimate only because it repeats the id and ciphertext.
                List<OutboxMessage> queued = tx.outbox(1000);
                assertThat(queued.stream().map(OutboxMessage::id).distinct().count()).as("outbox ids")
                        .isEqualTo(queued.size());
                Set<String> replies = new HashSet<>(sent.keySet());
                for (OutboxMessage m : queued) {
                    assertThat(replies.add(m.id()) || sent.get(m.id()).equals(b64(m.payload())))
                            .as("%s is queued again with the ciphertext already sent", m.id()).isTrue();
                }
                List<String> expectedReplies = new ArrayList<>();
                for (int i = 3; i <= done; i += 3) {
                    expectedReplies.add(GroupCrashWorker.replyId(i));
                }
                assertThat(replies).containsExactlyInAnyOrderElementsOf(expectedReplies);
                return done;
            });
        }
    }

    /**
     * id -> ciphertext; a resend must repeat the same ciphertext under the same id. A line cut by a
     * kill inside write() is no send (its reply is still queued, so the union check still sees it).
     */
    private static Map<String, String> readWire(Path wire) throws IOException {
        Map<String, String> sent = new HashMap<>();
        if (!Files.exists(wire)) {
            return sent;
        }
        int cut = 0;
        for (String line : Files.readAllLines(wire, StandardCharsets.US_ASCII)) {
            String[] f = line.split(" ");
            if (f.length != 2 || !isWholeMessage(f[1])) {
                cut++;
                continue;
            }
            String previous = sent.put(f[0], f[1]);
            assertThat(previous == null || previous.equals(f[1])).as("resend of %s is identical", f[0]).isTrue();
        }
        assertThat(cut).as("wire lines cut by a kill").isLessThanOrEqualTo(KILLS);
        return sent;
    }

    private static boolean isWholeMessage(String base64) {
        try {
            MlsMessage.decode(Base64.getDecoder().decode(base64));
            return true;
        } catch (IllegalArgumentException | DecodeException e) {
            return false;
        }
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("worker.err"));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String b64(MlsMessage m) {
        return Base64.getEncoder().encodeToString(m.toByteArray());
    }

    private static String b64(Bytes b) {
        return Base64.getEncoder().encodeToString(b.toByteArray());
    }
}
