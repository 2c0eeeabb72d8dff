package org.mlsbridge.app.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.app.cli.Progress;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * Runs every measurement of issue 7 for one group size (see docs/performance.md for what each
 * one covers). Inputs are bytes where a real member would receive bytes, so decoding is timed.
 */
final class BenchRunner {
    /** Measurements per tree shape; the sparse ones get the prefix {@code sparse_}. */
    static final List<String> SHAPE_KEYS = List.of("add_commit_ms", "add_process_ms", "join_ms", "join_ext_tree_ms",
            "update_commit_ms", "update_process_ms", "remove_commit_ms", "remove_process_ms");
    static final List<String> APP_KEYS = List.of("app_encrypt_us", "app_decrypt_us", "app_encrypt_10k_us",
            "app_decrypt_10k_us");

    /** Every key of one size's result, in output order. */
    static List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        keys.add("build_ms");
        keys.addAll(SHAPE_KEYS);
        SHAPE_KEYS.forEach(k -> keys.add("sparse_" + k));
        keys.addAll(APP_KEYS);
        keys.add("state_bytes");
        keys.add("state_load_ms");
        keys.add("persist_epoch_ms");
        keys.add("group_load_ms");
        keys.add("heap_bytes");
        return keys;
    }

    private static final int APP_WARM_UP = 200;
    private static final int APP_TIMED = 300;

    private final GroupConfig config;
    private final CipherSuite suite;
    private final SuiteCrypto crypto;
    private final GroupSender sender;
    private final Sampler sampler;
    private final Progress progress;

    BenchRunner(GroupConfig config, CipherSuite suite, GroupSender sender, int reps, Progress progress) {
        this.config = config;
        this.suite = suite;
        this.crypto = config.crypto().suite(suite);
        this.sender = sender;
        this.sampler = new Sampler(reps);
        this.progress = progress;
    }

    /** Results for one group size: a {@link Stats} per timed key, a Long for the sizes. */
    Map<String, Object> run(int n) throws Exception {
        if (n < 2) {
            throw new IllegalArgumentException("group size must be at least 2: " + n);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        List<Member> members = Member.generate(config.crypto(), suite, "member", n);
        progress(n, "generated " + n + " KeyPackages", t0);

        out.put("build_ms", build(members));
        progress(n, "build", t0);

        Map<String, Object> full = shape(GroupFixture.Shape.FULL, members, t0, out);
        Map<String, Object> sparse = shape(GroupFixture.Shape.SPARSE, members, t0, null);
        out.putAll(full);
        sparse.forEach((k, v) -> out.put("sparse_" + k, v));
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : allKeys()) {
            ordered.put(k, out.get(k));
        }
        return ordered;
    }

    private void progress(int n, String what, long t0) {
        progress.status(String.format(Locale.ROOT, "N=%d: %s (%.1f s)", n, what, (System.nanoTime() - t0) / 1e9));
    }

    private static Bytes groupId(int n, String shape) {
        return Bytes.wrap(("bench-" + shape + "-" + n).getBytes(StandardCharsets.US_ASCII));
    }

    /** One commit adding members 1..N-1 (no path, tree out of band) and its Welcome, by a new creator. */
    private Stats build(List<Member> members) throws Exception {
        List<KeyPackage> kps = members.subList(1, members.size()).stream().map(m -> m.bundle().keyPackage())
                .toList();
        Member creator = members.get(0);
        return sampler.millis(
                () -> sender.create(creator.identity(), groupId(members.size(), "build")),
                creatorState -> {
                    GroupSender.Committed c = sender.add(creatorState, kps, false);
                    c.commit().toByteArray();
                    c.welcome().orElseThrow().toByteArray();
                });
    }

    /** One timed operation: untimed setup of fresh input, then the timed action. */
    record Op<T>(Sampler.Setup<T> setup, Sampler.Action<T> action) {
        Stats sample(Sampler sampler) throws Exception {
            return sampler.millis(setup, action);
        }

        void runOnce() throws Exception {
            action.run(setup.get());
        }
    }

    private Map<String, Object> shape(GroupFixture.Shape shape, List<Member> members, long t0,
            Map<String, Object> extra) throws Exception {
        int n = members.size();
        String name = shape.name().toLowerCase(Locale.ROOT);
        Map<String, Op<?>> ops = operations(shape, members);
        progress(n, name + " tree generated and commits prepared", t0);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Op<?>> e : ops.entrySet()) {
            out.put(e.getKey(), e.getValue().sample(sampler));
            progress(n, name + " " + e.getKey(), t0);
        }
        if (extra != null) {
            byte[] creator = GroupStateCodec.encode(fixtureStates.creator());
            byte[] member1 = GroupStateCodec.encode(fixtureStates.member1());
            appMessages(member1, creator, 100, "app_encrypt_us", "app_decrypt_us", extra);
            appMessages(member1, creator, 10 * 1024, "app_encrypt_10k_us", "app_decrypt_10k_us", extra);
            extra.put("state_bytes", (long) creator.length);
            extra.put("state_load_ms", sampler.millis(() -> creator, this::copy));
            persistence(creator, GroupStateCodec.encode(sender.update(copy(creator)).next()), extra);
            // Several copies for small states, so that GC noise does not swamp a few KiB.
            int copies = Math.max(1, Math.min(64, 4_000_000 / creator.length));
            extra.put("heap_bytes", HeapMeter.retainedBytes(() -> {
                List<GroupState> held = new ArrayList<>(copies);
                for (int i = 0; i < copies; i++) {
                    held.add(copy(creator));
                }
                return held;
            }) / copies);
            progress(n, name + " application messages and state size", t0);
        }
        return out;
    }

    private record States(GroupState creator, GroupState member1) {
    }

    /** The states of the last fixture built by {@link #operations}. */
    private States fixtureStates;

    /**
     * The measured operations on a fixture of the given shape, keyed as in the JSON; the
     * messages each one processes are made here, once.
     */
    Map<String, Op<?>> operations(GroupFixture.Shape shape, List<Member> members) throws Exception {
        int n = members.size();
        String name = shape.name().toLowerCase(Locale.ROOT);
        GroupFixture fixture = GroupFixture.build(shape, crypto, config, groupId(n, name), members);
        fixtureStates = new States(fixture.stateOf(LeafIndex.of(0)), fixture.stateOf(LeafIndex.of(1)));
        byte[] creator = GroupStateCodec.encode(fixtureStates.creator());
        byte[] member1 = GroupStateCodec.encode(fixtureStates.member1());
        Map<String, Op<?>> ops = new LinkedHashMap<>();

        Member joiner = Member.generate(config.crypto(), suite, "joiner-" + name + "-" + n);
        List<KeyPackage> joinerKp = List.of(joiner.bundle().keyPackage());
        ops.put("add_commit_ms", new Op<>(() -> copy(creator), s -> {
            GroupSender.Committed c = sender.add(s, joinerKp, false);
            c.commit().toByteArray();
            c.welcome().orElseThrow().toByteArray();
        }));
        GroupSender.Committed added = sender.add(copy(creator), joinerKp, false);
        byte[] addCommit = added.commit().toByteArray();
        byte[] welcome = added.welcome().orElseThrow().toByteArray();
        byte[] treeBytes = added.next().tree().toExtension().toByteArray();
        byte[] welcomeWithTree = sender.add(copy(creator), joinerKp, true).welcome().orElseThrow().toByteArray();
        ops.put("add_process_ms", new Op<>(() -> resume(member1), g -> processAndMerge(g, addCommit)));
        ops.put("join_ms", new Op<>(() -> joiner, j -> {
            Welcome w = (Welcome) MlsMessage.decode(welcome).body();
            RatchetTreeExtension tree = TlsReader.decode(treeBytes, RatchetTreeExtension::readFrom);
            MlsGroup.join(w, j.joinKeys(), Optional.of(tree.nodes()), config, PskLookup.none());
        }));
        ops.put("join_ext_tree_ms", new Op<>(() -> joiner, j -> {
            Welcome w = (Welcome) MlsMessage.decode(welcomeWithTree).body();
            MlsGroup.join(w, j.joinKeys(), config, PskLookup.none());
        }));

        // The processing runs take the commit of the last timed commit run (a sparse commit at
        // 50,000 members costs seconds; no need to make one more), or make one when run alone.
        byte[][] update = new byte[1][];
        ops.put("update_commit_ms", new Op<>(() -> copy(member1),
                s -> update[0] = sender.update(s).commit().toByteArray()));
        ops.put("update_process_ms", new Op<>(() -> {
            if (update[0] == null) {
                update[0] = sender.update(copy(member1)).commit().toByteArray();
            }
            return resume(creator);
        }, g -> processAndMerge(g, update[0])));

        LeafIndex last = LeafIndex.of(n - 1);
        byte[][] remove = new byte[1][];
        ops.put("remove_commit_ms", new Op<>(() -> copy(creator),
                s -> remove[0] = sender.remove(s, last).commit().toByteArray()));
        ops.put("remove_process_ms", new Op<>(() -> {
            if (remove[0] == null) {
                remove[0] = sender.remove(copy(creator), last).commit().toByteArray();
            }
            return resume(member1);
        }, g -> processAndMerge(g, remove[0])));
        return ops;
    }

    /**
     * Runs one operation over and over for about {@code seconds}, for a profiler to watch
     * (e.g. JFR); returns the number of runs.
     */
    int loop(int n, GroupFixture.Shape shape, String key, double seconds) throws Exception {
        List<Member> members = Member.generate(config.crypto(), suite, "member", n);
        Op<?> op = operations(shape, members).get(key);
        if (op == null) {
            throw new IllegalArgumentException("no operation " + key + "; one of " + SHAPE_KEYS);
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int runs = 0;
        while (System.nanoTime() < end) {
            op.runOnce();
            runs++;
        }
        return runs;
    }

    /**
     * The SQLite store (bridge-core): {@code persist_epoch_ms} encodes member 0's state of the
     * next epoch and saves it over the current one in one transaction (encrypted chunks, synced
     * commit); {@code group_load_ms} reads, decrypts and decodes it and loads the tree (hashes,
     * key indexes), ready to process. A temporary database, deleted afterwards.
     */
    private void persistence(byte[] current, byte[] next, Map<String, Object> out) throws Exception {
        Path dir = Files.createTempDirectory("mlsbridge-bench");
        Path db = dir.resolve("bench.db");
        byte[] kek = new byte[KeyEncryptionKey.LENGTH];
        new SecureRandom().nextBytes(kek);
        Bytes id = Bytes.wrap("bench-persist".getBytes(StandardCharsets.US_ASCII));
        GroupState nextState = GroupStateCodec.decode(next, config);
        try (SqliteStore store = SqliteStore.open(db, KeyEncryptionKey.of(kek))) {
            out.put("persist_epoch_ms", sampler.millis(() -> {
                store.transaction(tx -> tx.mls().saveGroupState(id, current));
                return nextState;
            }, s -> store.transaction(tx -> tx.mls().saveGroupState(id, GroupStateCodec.encode(s)))));
            out.put("group_load_ms", sampler.millis(() -> store, st -> {
                byte[] loaded = st.transactionResult(tx -> tx.mls().loadGroupState(id)).orElseThrow();
                GroupState s = GroupStateCodec.decode(loaded, config);
                s.tree().treeHash();
                s.tree().nodesWithEncryptionKey(Bytes.EMPTY);
            }));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A fresh copy of a stored state, loaded as a group is before its first commit: the tree's
     * hashes and key indexes are built (O(n), once per load; see {@code state_load_ms}).
     */
    private GroupState copy(byte[] state) throws MlsException {
        GroupState s = GroupStateCodec.decode(state, config);
        s.tree().treeHash();
        s.tree().nodesWithEncryptionKey(Bytes.EMPTY);
        return s;
    }

    private MlsGroup resume(byte[] state) throws MlsException {
        return MlsGroup.resume(copy(state), config, PskLookup.none());
    }

    private static void processAndMerge(MlsGroup group, byte[] commit) throws MlsException {
        StagedCommit staged = (StagedCommit) group.process(MlsMessage.decode(commit));
        group.merge(staged);
    }

    /** Per-message times of encrypting (to bytes) and decrypting (from bytes), in microseconds. */
    private void appMessages(byte[] senderState, byte[] receiverState, int size, String encKey, String decKey,
            Map<String, Object> out) throws Exception {
        MlsGroup from = sender.member(copy(senderState));
        MlsGroup to = resume(receiverState);
        byte[] payload = new byte[size];
        int total = APP_WARM_UP + APP_TIMED;
        byte[][] wire = new byte[total][];
        double[] enc = new double[APP_TIMED];
        double[] encCpu = new double[APP_TIMED];
        for (int i = 0; i < total; i++) {
            long c = Sampler.threadCpuNanos();
            long t = System.nanoTime();
            wire[i] = from.encrypt(payload).toByteArray();
            if (i >= APP_WARM_UP) {
                enc[i - APP_WARM_UP] = (System.nanoTime() - t) / 1e3;
                encCpu[i - APP_WARM_UP] = (Sampler.threadCpuNanos() - c) / 1e3;
            }
        }
        double[] dec = new double[APP_TIMED];
        double[] decCpu = new double[APP_TIMED];
        for (int i = 0; i < total; i++) {
            long c = Sampler.threadCpuNanos();
            long t = System.nanoTime();
            ApplicationMessage m = (ApplicationMessage) to.process(MlsMessage.decode(wire[i]));
            if (i >= APP_WARM_UP) {
                dec[i - APP_WARM_UP] = (System.nanoTime() - t) / 1e3;
                decCpu[i - APP_WARM_UP] = (Sampler.threadCpuNanos() - c) / 1e3;
            }
            if (m.data().length() != size) {
                throw new IllegalStateException("application message came back with " + m.data().length() + " bytes");
            }
        }
        out.put(encKey, Stats.of(enc, encCpu));
        out.put(decKey, Stats.of(dec, decCpu));
    }
}
