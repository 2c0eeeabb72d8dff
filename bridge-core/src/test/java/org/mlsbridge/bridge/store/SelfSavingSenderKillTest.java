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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;

/**
 * The library's own persistence across SIGKILL, with no application transaction at all: Alice
 * ({@link SelfSavingSenderWorker}, a child JVM) encrypts with a group bound to
 * {@link SqliteStore#mlsStorage()} and never saves by hand; she is killed at random moments,
 * also inside {@code encrypt}, and loaded again from the database each time. Bob then reads
 * every ciphertext she ever returned: had a restart sent a ratchet generation twice, his
 * second read of it would fail as a replay. Kill points come from -Dcrash.seed.
 */
class SelfSavingSenderKillTest {
    static final int KILLS = 8;
    static final int PER_RUN = 200;

    @TempDir
    Path dir;

    @Test
    void aKilledSenderLoadedAgainNeverReusesAGeneration() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        GroupConfig config = GroupConfig.DEFAULT;
        Path db = dir.resolve("alice.db");
        MlsClient bob = MlsClient.of(TestKeys.identity("bob"), new InMemoryMlsStorage(), config);
        Bytes groupId;
        try (SqliteStore store = SqliteStore.open(db, TestKeys.golden())) {
            MlsClient alice = MlsClient.of(TestKeys.identity("alice"), store.mlsStorage(), config);
            alice.saveIdentity("alice");
            MlsGroup group = alice.createGroup();
            CommitOutput add = group.commitAndMerge(CommitOptions.of(new Proposal.Add(
                    MlsMessage.decodeKeyPackage(bob.createKeyPackage().encode()))));
            bob.join(add.welcome().orElseThrow());
            groupId = group.groupId();
        }
        MlsGroup bobGroup = bob.loadGroup(groupId).orElseThrow();

        List<String[]> emitted = new ArrayList<>();
        List<Integer> perRun = new ArrayList<>();
        for (int run = 0; run <= KILLS; run++) {
            boolean kill = run < KILLS;
            Process p = launch(db, groupId, run);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(out.readLine()).as("worker start (stderr: %s)", stderr()).isEqualTo("READY");
            int target = kill ? 1 + random.nextInt(PER_RUN / 2) : Integer.MAX_VALUE;
            int before = emitted.size();
            String line;
            while ((line = out.readLine()) != null) {
                collect(line, emitted);
                if (emitted.size() - before >= target) {
                    Thread.sleep(random.nextInt(8)); // lands inside a later encrypt, or between two
                    p.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroy, keeps its output readable
                    break;
                }
            }
            if (kill) {
                // lines the worker completed before it died are still in the pipe
                while ((line = out.readLine()) != null) {
                    collect(line, emitted);
                }
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("worker exit (stderr: %s)", stderr()).isEqualTo(kill ? 137 : 0);
            perRun.add(emitted.size() - before);
        }

        for (String[] e : emitted) {
            ApplicationMessage m = (ApplicationMessage) bobGroup.process(
                    MlsMessage.decodeProtocolMessage(Bytes.wrap(Base64.getDecoder().decode(e[1]))));
            assertThat(m.data()).as("seed %d", seed).isEqualTo(Bytes.wrap(e[0].getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(perRun.get(KILLS)).isEqualTo(PER_RUN);
        System.out.printf("self-saving sender: seed %d, %d kills, ciphertexts per run %s, all %d read once%n", seed,
                KILLS, perRun, emitted.size());
    }

    /** A complete "CT text base64 END" line; a line cut by the kill is ignored (its ciphertext never left). */
    private static void collect(String line, List<String[]> emitted) {
        String[] f = line.split(" ");
        if (f.length == 4 && f[0].equals("CT") && f[3].equals("END")) {
            emitted.add(new String[] {f[1], f[2]});
        }
    }

    private Process launch(Path db, Bytes groupId, int run) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", ChildJvm.sqliteTmpdirFlag(), "-cp", System.getProperty("java.class.path"),
                SelfSavingSenderWorker.class.getName(), db.toString(), groupId.hex(), Integer.toString(run),
                Integer.toString(PER_RUN));
        pb.environment().put("MLSBRIDGE_TEST_KEK", TestKeys.GOLDEN_KEK_BASE64);
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
}
