package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Kills a real child JVM ({@link CrashWorker}) with SIGKILL at random moments while it runs
 * {@value #OPERATIONS} one-transaction operations, restarts it each time, and checks after every
 * kill that each operation is either wholly present or wholly absent, that no KeyPackage is used
 * twice or lost, that nothing is delivered twice, and that every queued message reaches the wire
 * (a resend carries the same id and content).
 */
class CrashRecoveryTest {
    static final int OPERATIONS = 1200;
    static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMomentsNeverLeavesAMix() throws Exception {
        Path db = dir.resolve("crash.db");
        Path wire = dir.resolve("wire.log");
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        int kills = 0;
        int lastDone = -1;
        long start = System.nanoTime();
        List<Integer> progress = new ArrayList<>();
        // two halts at chosen points, then random SIGKILLs, then a run to the end
        List<Map<String, String>> runs = new ArrayList<>();
        runs.add(Map.of("CRASH_IN_TX_AT", "40"));
        runs.add(Map.of("CRASH_AFTER_SEND_AT", "80"));
        for (int k = 0; k < KILLS; k++) {
            runs.add(Map.of("KILL", "1"));
        }
        runs.add(Map.of());
        for (Map<String, String> run : runs) {
            boolean kill = run.containsKey("KILL");
            Process p = launch(db, wire, run);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            String ready = out.readLine();
            assertThat(ready).as("worker start (stderr: %s)", stderr()).startsWith("READY ");
            int done = Integer.parseInt(ready.substring(6));
            progress.add(done);
            assertThat(done).as("progress never goes backwards").isGreaterThanOrEqualTo(lastDone);
            if (kill) {
                killAround(p, out, done + 1 + random.nextInt(OPERATIONS * 3 / (2 * KILLS)), random);
                kills++;
            } else {
                out.lines().forEach(line -> { }); // drain, so the worker never blocks on a full pipe
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            int expectedExit = kill ? 137 : run.isEmpty() ? 0 : CrashWorker.HALTED;
            assertThat(p.exitValue()).as("worker exit (stderr: %s)", stderr()).isIn(0, expectedExit);
            lastDone = verify(db, wire, false);
            if (run.containsKey("CRASH_IN_TX_AT")) {
                assertThat(lastDone).as("the halted transaction left nothing").isEqualTo(39);
            }
            if (run.containsKey("CRASH_AFTER_SEND_AT")) {
                assertThat(lastDone).isEqualTo(80);
            }
        }
        assertThat(readWireLines(wire) - readWire(wire).size()).as("resends after the halt between send and ack")
                .isGreaterThanOrEqualTo(CrashWorker.outboxCount(80));
        assertThat(verify(db, wire, true)).isEqualTo(OPERATIONS);
        long sends = readWireLines(wire);
        System.out.printf("crash test: %d operations, %d kills (restarted at operations %s), %d sends of which %d"
                + " resends with the same id, %.1f s%n", OPERATIONS, kills, progress, sends,
                sends - readWire(wire).size(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Reads the worker's progress until operation {@code target} (or its end), then kills it
     * after a random 0-15 ms, so kills land anywhere in an operation and across the whole run.
     */
    static void killAround(Process p, BufferedReader out, int target, Random random) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("OP ") && Integer.parseInt(line.substring(3)) >= target) {
                break;
            }
        }
        Thread.sleep(random.nextInt(16));
        p.destroyForcibly(); // SIGKILL on Linux
    }

    private static long readWireLines(Path wire) throws IOException {
        return Files.readAllLines(wire, StandardCharsets.US_ASCII).stream().filter(l -> l.split(" ").length == 2).count();
    }

    private Process launch(Path db, Path wire, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                ChildJvm.sqliteTmpdirFlag(), "-cp", System.getProperty("java.class.path"), CrashWorker.class.getName(),
                db.toString(), wire.toString(), Integer.toString(OPERATIONS));
        pb.environment().put("MLSBRIDGE_TEST_KEK", TestKeys.GOLDEN_KEK_BASE64);
        env.forEach((k, v) -> {
            if (k.startsWith("CRASH_")) {
                pb.environment().put(k, v);
            }
        });
        pb.redirectError(dir.resolve("worker.err").toFile());
        return pb.start();
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("worker.err"));
        } catch (IOException e) {
            return "?";
        }
    }

    /** Checks the store and the wire after a run; returns how many operations are done. */
    private int verify(Path db, Path wire, boolean finished) throws IOException {
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            return store.transactionResult(tx -> {
                int done = tx.cursor(CrashWorker.STREAM).map(Integer::parseInt).orElse(0);
                // the group state belongs to exactly the operation the cursor names
                byte[] state = tx.mls().loadGroupState(CrashWorker.GROUP).orElse(null);
                if (state != null) {
                    assertThat(CrashWorker.checkState(state)).isEqualTo(done);
                }
                // KeyPackages: 1..done used and gone, done+1 waiting, nothing else
                if (state != null) {
                    assertThat(tx.mls().keyPackageRefs()).containsExactly(CrashWorker.ref(done + 1));
                }
                // every processed message delivered exactly once, in order, with its content
                List<InboxMessage> inbox = tx.inbox(OPERATIONS + 10);
                assertThat(inbox).hasSize(done);
                for (int i = 1; i <= done; i++) {
                    InboxMessage m = inbox.get(i - 1);
                    assertThat(m.id()).isEqualTo(CrashWorker.messageId(i));
                    assertThat(m.payload()).isEqualTo(Bytes.wrap(CrashWorker.derive("msg", i, 0, 64)));
                    assertThat(tx.isDelivered(CrashWorker.STREAM, m.id())).isTrue();
                }
                assertThat(tx.isDelivered(CrashWorker.STREAM, CrashWorker.messageId(done + 1))).isFalse();
                // resumption PSKs: only the window
                for (int e = Math.max(1, done - CrashWorker.PSK_WINDOW - 2); e <= done + 1; e++) {
                    boolean kept = e <= done && e > done - CrashWorker.PSK_WINDOW;
                    assertThat(tx.mls().loadResumptionPsk(CrashWorker.GROUP, e).isPresent()).as("psk %d", e).isEqualTo(kept);
                }
                // outbox + wire = every message queued by a committed operation, nothing else
                Map<String, String> wireIds = readWire(wire);
                Set<String> queued = new HashSet<>();
                for (OutboxMessage m : tx.outbox(10_000)) {
                    queued.add(m.id());
                    assertThat(m.payload()).isEqualTo(Bytes.wrap(expectedPayload(m.id())));
                }
                Set<String> expected = new HashSet<>();
                for (int i = 1; i <= done; i++) {
                    for (int k = 0; k < CrashWorker.outboxCount(i); k++) {
                        expected.add(CrashWorker.outboxId(i, k));
                    }
                }
                Set<String> seen = new HashSet<>(queued);
                seen.addAll(wireIds.keySet());
                assertThat(seen).as("queued or sent").isEqualTo(expected);
                if (finished) {
                    assertThat(queued).as("outbox drained").isEmpty();
                }
                return done;
            });
        }
    }

    private static byte[] expectedPayload(String id) {
        String[] parts = id.split("-");
        return CrashWorker.outboxPayload(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** The wire log: every line a send; a resend must carry the same content under the same id. */
    private static Map<String, String> readWire(Path wire) throws IOException {
        Map<String, String> sent = new HashMap<>();
        if (!Files.exists(wire)) {
            return sent;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(wire, StandardCharsets.US_ASCII));
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length != 2) {
                continue; // a line cut by the kill
            }
            String hash = CrashWorker.hex(CrashWorker.sha256(expectedPayload(f[0])));
            assertThat(f[1]).as("content of %s", f[0]).isEqualTo(hash);
            String previous = sent.put(f[0], f[1]);
            assertThat(previous == null || previous.equals(f[1])).isTrue();
        }
        return sent;
    }
}
