package org.mlsbridge.app.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.storage.StorageException;

/**
 * One room on a real server for the fault tests: the room's external-sender bot and an observing
 * member (the witness, the group's creator) run in this JVM and are never killed; the witness's
 * transport feeds a {@link WireLedger} with every room message the server delivered, and after
 * each of its steps the ledger takes the sender-data secrets from the witness's stored state.
 * Other members run as child JVMs ({@link MemberProcess}) from configuration files written here.
 */
final class FaultWorld implements AutoCloseable {
    static final ClientOptions OPTIONS = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
    static final String BOT = "bot";
    static final String WITNESS = "witness";

    final FaultNetwork network;
    final Path dir;
    final WireLedger ledger = new WireLedger();
    final Transport botTransport;
    final ExternalSenderBot bot;
    final RoomId room;
    final MemberClient witness;
    private final SqliteClientStore witnessStore;
    private final Map<String, Path> configs = new LinkedHashMap<>();
    final Map<String, MemberProcess> children = new LinkedHashMap<>();
    /** Members that run in this JVM besides the witness (stepped by {@link #step}), with their stores. */
    final Map<String, MemberClient> inProcess = new LinkedHashMap<>();
    private final Map<String, SqliteClientStore> inProcessStores = new LinkedHashMap<>();
    /** The last storage failure of each in-process member's step (it surfaced after the client's retries). */
    final Map<String, StorageException> storageFailures = new LinkedHashMap<>();
    long retryableFailures;

    FaultWorld(FaultNetwork network, Path dir) throws Exception {
        this.network = network;
        this.dir = dir;
        network.register(BOT);
        network.register(WITNESS);
        botTransport = network.connect(BOT, network.port());
        room = network.createRoom(botTransport);
        bot = new ExternalSenderBot(botTransport, Connections.store(dir.resolve("bot.db"), dir.resolve("bot.kek")),
                OPTIONS);
        network.admit(botTransport, room, WITNESS);
        Transport t = network.connect(WITNESS, network.port());
        witnessStore = Connections.store(dir.resolve("witness.db"), dir.resolve("witness.kek"));
        witness = new MemberClient(new RecordingTransport(t, room, ledger), witnessStore, OPTIONS);
        Connections.join(t, room);
        for (int i = 0; i < 10; i++) {
            step();
        }
        witness.createGroup(room, List.of(witness.externalSenderOf(bot.self())));
    }

    /**
     * One turn of the bot, the witness and the in-process members; a server that is away is
     * waited for, a member's storage failure is recorded in {@link #storageFailures}.
     */
    void step() throws Exception {
        try {
            bot.step(50, Duration.ofMillis(10));
            witness.step(50, Duration.ofMillis(10));
        } catch (TransportException e) {
            if (!e.retryable()) {
                throw e;
            }
            retryableFailures++;
            Thread.sleep(100);
        }
        learn();
        for (Map.Entry<String, MemberClient> m : inProcess.entrySet()) {
            try {
                m.getValue().step(50, Duration.ofMillis(10));
            } catch (StorageException e) {
                storageFailures.put(m.getKey(), e);
            } catch (TransportException e) {
                if (!e.retryable()) {
                    throw e;
                }
                retryableFailures++;
            }
        }
    }

    /**
     * A new member in this JVM with its database in {@code folder}, connecting through
     * {@code port}: let into the room after its KeyPackages are published.
     */
    MemberClient addInProcess(String name, Path folder, int port) throws Exception {
        network.register(name);
        network.admit(botTransport, room, name);
        Transport t = network.connect(name, port);
        SqliteClientStore store = Connections.store(folder.resolve(name + ".db"), folder.resolve(name + ".kek"));
        MemberClient c = new MemberClient(t, store, OPTIONS);
        Connections.join(t, room);
        inProcess.put(name, c);
        inProcessStores.put(name, store);
        return c;
    }

    /** The exporter secret of an in-process member's current epoch, hex ("-" without a group). */
    String exporterOf(String name) {
        SqliteClientStore store = inProcessStores.get(name);
        return MlsGroup.load(store.groupStorage(), ledger.groupId().orElseThrow(), OPTIONS.groupConfig(),
                PskLookup.fromStorage(store.groupStorage()))
                .map(g -> Bytes.wrap(g.export(MemberMain.EXPORTER_LABEL, new byte[0], 32).copy()).hex())
                .orElse("-");
    }

    /** The ledger takes the witness's sender-data secrets of the epochs it holds now. */
    private void learn() {
        ledger.learnFrom(witnessStore.groupStorage(), OPTIONS.groupConfig());
    }

    /** The exporter secret of the witness's current epoch, hex. */
    String witnessExporter() {
        return MlsGroup.load(witnessStore.groupStorage(), ledger.groupId().orElseThrow(), OPTIONS.groupConfig(),
                PskLookup.fromStorage(witnessStore.groupStorage()))
                .map(g -> Bytes.wrap(g.export(MemberMain.EXPORTER_LABEL, new byte[0], 32).copy()).hex())
                .orElseThrow();
    }

    void until(BooleanSupplier done, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + ": " + what);
            }
            step();
        }
    }

    /** Steps until the witness and every in-process member are in one group at one epoch. */
    void untilInProcessMembersInGroup() throws Exception {
        until(() -> witness.groupMembers(room).size() == 1 + inProcess.size()
                && inProcess.values().stream().allMatch(c -> c.epochAuthenticator(room)
                        .equals(witness.epochAuthenticator(room))), Duration.ofSeconds(120),
                "everyone in the group");
    }

    /**
     * A new member as a child JVM: its account, its configuration (connecting through
     * {@code port}), let into the room, started; returns once it has published its KeyPackages
     * and entered the room. The bot is not stepped meanwhile, so it claims a KeyPackage only
     * after they are published.
     */
    MemberProcess addChild(String name, int port) throws Exception {
        network.register(name);
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, network.clientYaml(name, room, BOT, port, dir.resolve(name + ".db"),
                dir.resolve(name + ".kek"), dir.resolve(name + ".password")), StandardCharsets.UTF_8);
        configs.put(name, config);
        network.admit(botTransport, room, name);
        MemberProcess p = startChild(name);
        p.until("ready"::equals, Duration.ofSeconds(120));
        return p;
    }

    /** Starts (again) the child JVM of {@code name} on its database. */
    MemberProcess startChild(String name) throws Exception {
        MemberProcess p = MemberProcess.start(configs.get(name), dir.resolve(name + ".log"));
        children.put(name, p);
        return p;
    }

    /** Texts a member in this JVM has received (never acknowledged), with their senders. */
    static List<String[]> receivedBy(MemberClient member) {
        List<String[]> out = new ArrayList<>();
        for (ReceivedMessage m : member.received()) {
            out.add(new String[] {m.id(), m.sender().value(), new String(m.text().toByteArray(),
                    StandardCharsets.UTF_8)});
        }
        return out;
    }

    /** The end of each child member's log (its stderr, all incarnations), for a failure report. */
    String logTails() {
        StringBuilder sb = new StringBuilder();
        for (String name : children.keySet()) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
                sb.append("--- ").append(name).append(".log\n");
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (java.io.IOException e) {
                sb.append("--- ").append(name).append(".log: ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        for (MemberProcess p : children.values()) {
            p.kill();
        }
        for (MemberClient c : inProcess.values()) {
            c.close();
        }
        witness.close();
        bot.close();
    }
}
