package org.mlsbridge.app.faults;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.DroppedEvent;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.manager.SentMessage;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.config.ClientSettings;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.config.MlsbridgeConfig;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;

/**
 * A member client in a JVM of its own, for the kill tests: the chat client's configuration,
 * connections and store ({@link Connections}), a {@link MemberClient} stepped on one thread, and
 * a line protocol instead of a person. The test kills it with SIGKILL at any moment and starts it
 * again on the same database.
 *
 * <p>Commands on stdin: {@code send TEXT}, {@code commit}, {@code status}, {@code report GROUPID}.
 * Lines on stdout: {@code ready}, {@code sent TEXT} (stored: it goes out, now or after a restart),
 * {@code notyet TEXT} (not in the group, nothing stored), {@code status EPOCH AUTH RECEIVED}, and
 * the report ({@code epoch}, {@code auth}, {@code exporter}, one {@code received ID SENDER TEXT}
 * per message in the inbox, one {@code drop REASON} per refused event, {@code end}). Received
 * messages are never acknowledged, so the inbox holds everything every incarnation stored.
 */
public final class MemberMain {
    private static final Duration CONNECT_FOR = Duration.ofSeconds(120);
    static final String EXPORTER_LABEL = "mlsbridge faults";

    private MemberMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        MlsbridgeConfig.ForClient config = ConfigLoader.load(Path.of(args[0])).config().forClient();
        ClientSettings settings = config.client();
        RoomId room = new RoomId(settings.room());
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50));
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    commands.add(l);
                }
            } catch (java.io.IOException e) {
                // the test went away: nothing more to do
            }
            commands.add("exit");
        });
        Connections connections = new Connections();
        long deadline = System.nanoTime() + CONNECT_FOR.toNanos();
        MemberClient client = null;
        SqliteClientStore store = null;
        long jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        long connected = 0;
        long opened = 0;
        while (client == null) {
            store = Connections.store(settings.database(), settings.keyEncryptionKeyFile());
            Transport transport = null;
            try {
                transport = connections.open(settings.network(), config.xmpp().orElse(null),
                        config.matrix().orElse(null));
                connected = System.nanoTime();
                client = new MemberClient(transport, store, options);
                opened = System.nanoTime();
                Connections.join(transport, room);
            } catch (TransportException e) {
                if (!e.retryable() && System.nanoTime() > deadline) {
                    throw e;
                }
                if (client != null) {
                    client.close();
                    client = null;
                } else {
                    if (transport != null) {
                        transport.close();
                    }
                    store.close();
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
        long joined = System.nanoTime();
        out.println("startup jvm=" + jvm + " connect=" + (connected - t0) / 1_000_000 + " client="
                + (opened - connected) / 1_000_000 + " join=" + (joined - opened) / 1_000_000);
        out.println("ready");
        while (true) {
            String command = commands.poll();
            while (command != null) {
                if (command.equals("exit")) {
                    client.close();
                    connections.close();
                    System.exit(0);
                }
                handle(command, client, store, room, options, out);
                command = commands.poll();
            }
            try {
                client.step(100, Duration.ofMillis(50));
            } catch (TransportException e) {
                if (!e.retryable()) {
                    out.println("fatal " + e.getMessage());
                    System.exit(3);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private static void handle(String command, MemberClient client, SqliteClientStore store, RoomId room,
            ClientOptions options, PrintStream out) throws Exception {
        if (command.startsWith("send ")) {
            String text = command.substring(5);
            long before = client.counters().messagesOut();
            try {
                Optional<SentMessage> sent = client.send(room, Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
                out.println((sent.isPresent() ? "sent " : "notyet ") + text);
            } catch (TransportException e) {
                // stored before the network failed: the outbox sends it later
                out.println((client.counters().messagesOut() > before ? "sent " : "failed ") + text);
            }
        } else if (command.equals("commit")) {
            client.requestCommit(room);
        } else if (command.equals("status")) {
            out.println("status " + client.epoch(room).orElse(-1L) + " "
                    + client.epochAuthenticator(room).map(Bytes::hex).orElse("-") + " " + client.received().size());
        } else if (command.startsWith("report ")) {
            Bytes groupId = Bytes.fromHex(command.substring(7));
            out.println("epoch " + client.epoch(room).orElse(-1L));
            out.println("auth " + client.epochAuthenticator(room).map(Bytes::hex).orElse("-"));
            Optional<MlsGroup> g = MlsGroup.load(store.groupStorage(), groupId, options.groupConfig(),
                    PskLookup.fromStorage(store.groupStorage()));
            out.println("exporter " + g.map(x -> Bytes.wrap(x.export(EXPORTER_LABEL, new byte[0], 32).copy()).hex())
                    .orElse("-"));
            for (ReceivedMessage m : client.received()) {
                out.println("received " + m.id() + " " + m.sender().value() + " "
                        + new String(m.text().toByteArray(), StandardCharsets.UTF_8));
            }
            for (DroppedEvent d : client.droppedEvents()) {
                out.println("drop " + d.reason());
            }
            out.println("end");
        } else {
            out.println("unknown " + command);
        }
    }
}
