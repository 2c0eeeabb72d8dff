package org.mlsbridge.app.bridge;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.mlsbridge.app.connect.Connections;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.ReceivedMessage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.config.ConfigLoader;
import org.mlsbridge.matrix.MatrixAccount;
import org.mlsbridge.matrix.MatrixConnector;
import org.mlsbridge.matrix.MatrixTransport;
import org.mlsbridge.matrix.PlainClient;
import org.mlsbridge.matrix.SynapseServer;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.xmpp.ProsodyServer;
import org.mlsbridge.xmpp.XmppTransport;

/**
 * A real Prosody and a real Synapse on loopback, one bridged pair (an XMPP MUC and a Matrix
 * room) set up as an operator would (the bridge's accounts own the rooms), the bridge's YAML
 * configuration written to a folder, and member clients on either network, each with its own
 * SQLite file, driven from the test's thread. Start the bridge with {@link #startBridge} (a
 * separate process) or in process from {@link #configFile()}.
 */
public final class RealServersBridge implements AutoCloseable {
    public static final String PASSWORD = "pw-for-tests";
    /** The bridge's configured Matrix device: not the default, which nobody needs to know. */
    public static final String BRIDGE_DEVICE = "BRIDGE-E2E";
    /** The XMPP room of the pair, {@code lounge<tag>@conference.localhost}. */
    public final RoomId xmppRoom;
    /** The bridge's accounts, {@code bridge<tag>} on each server. */
    public final UserId bridgeXmpp;
    public final UserId bridgeMatrix;
    private final String bridgeName;
    private final String botMode;

    /** One member: its account, its own connection, its MLS client, its room, what it read. */
    public static final class Member {
        public final UserId user;
        public final Transport transport;
        public final MemberClient client;
        public final RoomId room;
        public final List<String> read = new ArrayList<>();
        /** What it read as {@code sender-address: text}, and {@code (NOT E2EE)} when gatewayed from a legacy user. */
        public final List<String> readFrom = new ArrayList<>();

        Member(UserId user, Transport transport, MemberClient client, RoomId room) {
            this.user = user;
            this.transport = transport;
            this.client = client;
            this.room = room;
        }
    }

    public final ProsodyServer prosody;
    public final SynapseServer synapse;
    public final Path dir;
    public final RoomId matrixRoom;
    public final ClientOptions memberOptions;
    public final Map<UserId, Member> members = new LinkedHashMap<>();
    private final MatrixConnector connector = new MatrixConnector();
    private final XmppTransport xmppOwner;
    private final MatrixTransport matrixOwner;
    private final Path config;
    private final List<XmppTransport> legacy = new ArrayList<>();

    /** The bridge in external-sender mode, accounts {@code bridge}, rooms {@code lounge}. */
    public RealServersBridge(ProsodyServer prosody, SynapseServer synapse, Path dir) throws Exception {
        this(prosody, synapse, dir, "", "external-sender");
    }

    /**
     * @param tag tells this bridge's accounts and rooms from others' on the same servers
     * @param botMode {@code bridge.bot-mode}
     */
    public RealServersBridge(ProsodyServer prosody, SynapseServer synapse, Path dir, String tag, String botMode)
            throws Exception {
        this.prosody = prosody;
        this.synapse = synapse;
        this.dir = dir;
        this.botMode = botMode;
        this.bridgeName = "bridge" + tag;
        this.xmppRoom = new RoomId("lounge" + tag + "@" + ProsodyServer.MUC);
        this.bridgeXmpp = new UserId("xmpp:" + bridgeName + "@" + ProsodyServer.DOMAIN);
        this.bridgeMatrix = new UserId("matrix:u/" + bridgeName + ":" + SynapseServer.SERVER_NAME);
        prosody.register(bridgeName);
        synapse.register(bridgeName, ProsodyServer.PASSWORD);
        xmppOwner = XmppTransport.connect(prosody.account(bridgeName));
        xmppOwner.join(xmppRoom);
        xmppOwner.admin().configureForMls(xmppRoom);
        // the operator's own session, not the bridge's device
        matrixOwner = connector.connect(new MatrixAccount(synapse.url(), bridgeMatrix, ProsodyServer.PASSWORD, "SETUP"));
        matrixOwner.login();
        matrixRoom = matrixOwner.createRoom("lounge" + tag, List.of());
        RoomPolicy xmppSide = RoomPolicy.DEFAULT.withSequencer(bridgeXmpp);
        RoomPolicy matrixSide = RoomPolicy.DEFAULT.withSequencer(bridgeMatrix);
        RoomId a = xmppRoom;
        memberOptions = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50))
                .withPolicies(room -> room.equals(a) ? xmppSide : matrixSide);
        config = writeConfig();
    }

    public Path configFile() {
        return config;
    }

    private Path writeConfig() throws Exception {
        Path pw = secret("bridge-password");
        int metricsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                xmpp:
                  jid: %s@%s
                  host: 127.0.0.1
                  port: %d
                  password-file: %s
                matrix:
                  homeserver: %s
                  user-id: "@%s:%s"
                  password-file: %s
                  device-id: %s
                bridge:
                  database: bridge.db
                  key-encryption-key-file: bridge.kek
                  metrics-listen: 127.0.0.1:%d
                  bot-mode: %s
                  rooms:
                    - xmpp: %s
                      matrix: "%s"
                """.formatted(bridgeName, ProsodyServer.DOMAIN, prosody.account(bridgeName).port(), pw.getFileName(),
                synapse.url(), bridgeName, SynapseServer.SERVER_NAME, pw.getFileName(), BRIDGE_DEVICE, metricsPort,
                botMode,
                xmppRoom.value(),
                matrixRoom.value()));
        return file;
    }

    private Path secret(String name) throws Exception {
        Path p = dir.resolve(name);
        // one password for both of the bridge's accounts: Prosody's test accounts share one
        Files.writeString(p, ProsodyServer.PASSWORD + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /** The bridge's SQLite file. */
    public Path database() {
        return dir.resolve("bridge.db");
    }

    /** The bridge as a separate process; its output goes to {@code bridge.log} in the folder. */
    public BridgeProcess startBridge() throws Exception {
        return BridgeProcess.start(config, dir.resolve("bridge.log"), Duration.ofSeconds(60));
    }

    /** The metrics port written in the configuration. */
    public int metricsPort() throws Exception {
        String yaml = Files.readString(config);
        int at = yaml.indexOf("metrics-listen: 127.0.0.1:");
        return Integer.parseInt(yaml.substring(at + "metrics-listen: 127.0.0.1:".length()).lines().findFirst()
                .orElseThrow().strip());
    }

    /**
     * A member client on XMPP: its account is registered and its client publishes KeyPackages;
     * then the room's owner lets it in and it enters (the bridge's bot adds it to the group).
     */
    public Member xmppMember(String name) throws Exception {
        prosody.register(name);
        UserId u = new UserId("xmpp:" + name + "@" + ProsodyServer.DOMAIN);
        XmppTransport t = XmppTransport.connect(prosody.account(name));
        MemberClient c = new MemberClient(t, Connections.store(dir.resolve(name + ".db"), dir.resolve(name + ".kek")),
                memberOptions);
        xmppOwner.admin().grantMembership(xmppRoom, u);
        t.join(xmppRoom);
        Member m = new Member(u, t, c, xmppRoom);
        members.put(u, m);
        return m;
    }

    /**
     * A member client on Matrix: registered, KeyPackages published, invited by the bridge's account,
     * joined. Its device is {@code <NAME>-PHONE}: members are found on any device.
     */
    public Member matrixMember(String name) throws Exception {
        UserId u = synapse.register(name, PASSWORD);
        MatrixTransport t = connector.connect(new MatrixAccount(synapse.url(), u, PASSWORD,
                name.toUpperCase(java.util.Locale.ROOT) + "-PHONE"));
        t.login();
        MemberClient c = new MemberClient(t, Connections.store(dir.resolve(name + ".db"), dir.resolve(name + ".kek")),
                memberOptions);
        matrixOwner.invite(matrixRoom, u);
        t.join(matrixRoom);
        Member m = new Member(u, t, c, matrixRoom);
        members.put(u, m);
        return m;
    }

    /** A user without an MLS client on XMPP (publishes no KeyPackage): let into the room and entered. */
    public XmppTransport xmppLegacy(String name) throws Exception {
        prosody.register(name);
        UserId u = new UserId("xmpp:" + name + "@" + ProsodyServer.DOMAIN);
        XmppTransport t = XmppTransport.connect(prosody.account(name));
        xmppOwner.admin().grantMembership(xmppRoom, u);
        t.join(xmppRoom);
        legacy.add(t);
        return t;
    }

    /** A user without an MLS client on Matrix: a plain client (raw JSON), invited and joined. */
    public PlainClient matrixLegacy(String name) throws Exception {
        UserId u = synapse.register(name, PASSWORD);
        matrixOwner.invite(matrixRoom, u);
        PlainClient c = new PlainClient(new MatrixAccount(synapse.url(), u, PASSWORD));
        c.join(matrixRoom);
        return c;
    }

    /**
     * A person with the chat client ({@code mlsbridge client}) on Matrix, configured for a bridged
     * room ({@code bridged: true}, the bridge's Matrix account as {@code bot}), invited first.
     */
    ChatMember matrixChatMember(String name) throws Exception {
        UserId u = synapse.register(name, PASSWORD);
        matrixOwner.invite(matrixRoom, u);
        Path pw = dir.resolve(name + "-password");
        Files.writeString(pw, PASSWORD + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                matrix:
                  homeserver: %s
                  user-id: "@%s:%s"
                  password-file: %s
                  device-id: %s-laptop
                client:
                  network: matrix
                  room: "%s"
                  bot: "@%s:%s"
                  bridged: true
                  database: %s.db
                  key-encryption-key-file: %s.kek
                """.formatted(synapse.url(), name, SynapseServer.SERVER_NAME, pw.getFileName(), name, matrixRoom.value(),
                bridgeName, SynapseServer.SERVER_NAME, name, name));
        return new ChatMember(ConfigLoader.load(file).config().forClient(),
                ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(50)));
    }

    /** Steps every member until {@code done} holds; what each reads is added to its {@code read}. */
    public void pumpUntil(String what, BooleanSupplier done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int n = 0;
            for (Member m : List.copyOf(members.values())) {
                try {
                    n += m.client.step(200, Duration.ZERO);
                } catch (TransportException e) {
                    if (!e.retryable()) {
                        throw e;
                    }
                }
                for (ReceivedMessage r : m.client.received()) {
                    String text = new String(r.text().toByteArray(), StandardCharsets.UTF_8);
                    m.read.add(text);
                    m.readFrom.add(r.sender().address() + ": " + text + (r.endToEndEncrypted() ? "" : " (NOT E2EE)"));
                    m.client.acknowledge(r);
                }
            }
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("timed out waiting for " + what + ":");
                for (Member m : members.values()) {
                    sb.append("\n  ").append(m.user).append(" epoch=").append(m.client.epoch(m.room).orElse(-1L))
                            .append(" members=").append(m.client.groupMembers(m.room)).append(" read=").append(m.read);
                }
                throw new AssertionError(sb.toString());
            }
            if (n == 0) {
                Thread.sleep(20);
            }
        }
    }

    /** Sends {@code text} from {@code m} (it must be in the group). */
    public void send(Member m, String text) throws Exception {
        m.client.send(m.room, Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)))
                .orElseThrow(() -> new AssertionError(m.user + " is not in the group"));
    }

    public boolean inGroup(Member m, int size) {
        return m.client.groupMembers(m.room).size() == size;
    }

    public void leaveMatrix(Member m) throws TransportException {
        ((MatrixTransport) m.transport).leave(m.room);
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            m.client.close();
        }
        legacy.forEach(XmppTransport::close);
        xmppOwner.close();
        matrixOwner.close();
        connector.close();
    }
}
