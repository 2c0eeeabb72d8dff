package org.mlsbridge.xmpp;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.Notifier;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.xmpp.inbox.WelcomeInbox;
import org.mlsbridge.xmpp.mam.Archive;
import org.mlsbridge.xmpp.pep.KeyPackageNode;
import org.mlsbridge.xmpp.room.RoomAdmin;
import org.mlsbridge.xmpp.room.RoomJoin;
import org.mlsbridge.xmpp.room.RoomLog;
import org.mlsbridge.xmpp.stanza.MlsNamespace;
import org.mlsbridge.xmpp.stanza.MlsProviders;
import org.mlsbridge.xmpp.xml.BoundedXmlParserFactory;
import org.mlsbridge.xmpp.stanza.WelcomeElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport SPI over XMPP (Smack): rooms are members-only, non-anonymous MUCs, Welcomes go to a
 * user's bare JID, KeyPackages live on PEP. See docs/wire-formats.md (XMPP) for the stanzas.
 *
 * <p>A connection follows the rooms it was told to {@link #join}, and the rooms named in a cursor
 * it is asked to resume from. Stream management (XEP-0198) keeps a broken stream's stanzas; when a
 * session cannot be resumed (e.g. the server restarted), the transport logs in again, re-enters
 * its rooms, and fills what it missed from the rooms' archives.
 */
public final class XmppTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(XmppTransport.class);
    private final XmppConfig config;
    private final XMPPTCPConnection connection;
    private final EntityBareJid selfJid;
    private final UserId self;
    private final XmppCounters counters;
    private final Notifier notifier = new Notifier();
    private final Map<EntityBareJid, RoomLog> rooms = new ConcurrentHashMap<>();
    private final KeyPackageNode keyPackages;
    private final WelcomeInbox inbox;
    private final IdempotentSender sender;
    private final StreamReader reader;
    private final Reconnector reconnector;
    private final Set<EntityBareJid> refused = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean loggedInOnce;
    /** New sessions (not resumed) since the first login: each re-enters the rooms. */
    private final AtomicLong sessions = new AtomicLong();

    private XmppTransport(XmppConfig config, XMPPTCPConnection connection, EntityBareJid selfJid,
            XmppCounters counters) {
        this.config = config;
        this.counters = counters;
        this.connection = connection;
        this.selfJid = selfJid;
        this.self = XmppIds.user(selfJid);
        this.keyPackages = new KeyPackageNode(connection, selfJid, config.maxPayloadBytes());
        this.inbox = new WelcomeInbox(new Archive(connection, selfJid), selfJid, counters, config.maxPayloadBytes());
        this.sender = new IdempotentSender(connection, config, inbox, notifier);
        this.reader = new StreamReader(connection, inbox, rooms.values());
        this.reconnector = new Reconnector(connection, selfJid.toString());
    }

    /** Connects and logs in; fails with a retryable exception if the server cannot be reached. */
    public static XmppTransport connect(XmppConfig config) throws TransportException {
        MlsProviders.register();
        BoundedXmlParserFactory.install();
        EntityBareJid jid;
        XMPPTCPConnection connection;
        XmppCounters counters = new XmppCounters();
        try {
            jid = JidCreate.entityBareFrom(config.username() + "@" + config.domain());
            XMPPTCPConnectionConfiguration cfg = connectionConfiguration(config);
            // A stanza Smack cannot parse is skipped and counted instead of closing the connection.
            connection = new TolerantParsingConnection(cfg, e -> {
                counters.dropped("stanza Smack cannot parse");
                LOG.warn("skipped a stanza Smack cannot parse: user={} error={}", cfg.getUsername(), e.toString());
            });
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException("bad XMPP configuration: " + e.getMessage(), false, e);
        }
        connection.setUseStreamManagement(true);
        connection.setUseStreamManagementResumption(true);
        connection.setReplyTimeout(config.replyTimeout().toMillis());
        XmppTransport t = new XmppTransport(config, connection, jid, counters);
        t.listen();
        try {
            connection.connect().login();
        } catch (XMPPException | SmackException | IOException | InterruptedException e) {
            connection.disconnect();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            boolean auth = e instanceof org.jivesoftware.smack.sasl.SASLErrorException;
            throw new TransportException("cannot log in as " + jid + ": " + e.getMessage(), !auth, e);
        }
        t.loggedInOnce = true;
        t.reconnector.start();
        LOG.info("connected: user={} host={} port={}", jid, config.host(), config.port());
        return t;
    }

    /** Smack's settings for one connection of {@code config}'s account. */
    static XMPPTCPConnectionConfiguration connectionConfiguration(XmppConfig config) throws IOException {
        return XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(config.domain())
                .setHost(config.host())
                .setPort(config.port())
                .setUsernameAndPassword(config.username(), config.password())
                .setResource("mlsbridge-" + UUID.randomUUID().toString().substring(0, 8))
                .setSecurityMode(config.tls() ? SecurityMode.required : SecurityMode.disabled)
                .setConnectTimeout((int) config.replyTimeout().toMillis())
                .setSocketFactory(new NoDelaySocketFactory())
                .build();
    }

    private void listen() {
        connection.addSyncStanzaListener(this::route, s -> s.getFrom() != null);
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void authenticated(XMPPConnection c, boolean resumed) {
                if (resumed || !loggedInOnce || closed) {
                    return;
                }
                LOG.info("new session after reconnect, re-entering rooms: user={} rooms={}", selfJid, rooms.size());
                keyPackages.reset();
                inbox.reset();
                for (RoomLog log : rooms.values()) {
                    log.connectionLost();
                }
                long session = sessions.incrementAndGet();
                Thread.ofVirtual().name("xmpp-rejoin-" + selfJid).start(() -> rejoinAll(session));
                notifier.signal();
            }
        });
    }

    /** Called on Smack's reader thread, in stream order: only hands stanzas to the logs. */
    private void route(Stanza s) {
        Jid from = s.getFrom();
        EntityBareJid bare = from.asEntityBareJidIfPossible();
        RoomLog log = bare == null ? null : rooms.get(bare);
        if (log != null) {
            log.onStanza(s);
            return;
        }
        if (s instanceof Message m && !m.getExtensions(WelcomeElement.ELEMENT, MlsNamespace.NAMESPACE).isEmpty()) {
            inbox.markStale();
            notifier.signal();
        }
    }

    /** Re-enters every room after new session {@code session}; a newer session's thread takes over. */
    private void rejoinAll(long session) {
        for (RoomLog log : rooms.values()) {
            for (int attempt = 1; !closed; attempt++) {
                if (sessions.get() != session) {
                    return;
                }
                try {
                    RoomJoin.join(connection, log, nick());
                    break;
                } catch (TransportException e) {
                    if (!e.retryable()) {
                        LOG.warn("no longer in room: user={} room={} reason={}", selfJid, log.room(), e.getMessage());
                        Set<UserId> others = new HashSet<>(log.members());
                        others.remove(self);
                        log.finishJoin(others, List.of(), "");
                        break;
                    }
                    LOG.info("rejoin failed, retrying: user={} room={} attempt={} reason={}", selfJid, log.room(),
                            attempt, e.getMessage());
                    try {
                        Thread.sleep(Math.min(5000, 250L * attempt));
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
        notifier.signal();
    }

    private String nick() {
        return selfJid.getLocalpart().toString();
    }

    // ---- beyond the SPI ---------------------------------------------------------------------------

    /**
     * Enters the room (creating it if the server allows and it does not exist) and follows it from
     * now on; a no-op if already followed.
     *
     * @throws TransportException non-retryable if we are not allowed in (not a member)
     */
    public void join(RoomId room) throws TransportException {
        open();
        EntityBareJid jid = XmppIds.room(room);
        RoomLog known = rooms.get(jid);
        if (known != null) {
            if (known.live() && !known.present()) {
                // We were removed (revoked, kicked): enter again, or learn that we may not.
                RoomJoin.join(connection, known, nick());
            }
            return;
        }
        RoomLog log = new RoomLog(XmppIds.room(jid), jid, self, counters, notifier, config.maxPayloadBytes());
        if (rooms.putIfAbsent(jid, log) != null) {
            return;
        }
        try {
            RoomJoin.join(connection, log, nick());
        } catch (TransportException e) {
            rooms.remove(jid, log);
            throw e;
        }
    }

    /** Owner operations on rooms (configuration, membership). */
    public RoomAdmin admin() {
        return new RoomAdmin(connection);
    }

    public XmppCounters counters() {
        return counters;
    }

    /** The underlying connection, for tests that need to send raw stanzas. */
    XMPPTCPConnection connection() {
        return connection;
    }

    // ---- the SPI ----------------------------------------------------------------------------------

    @Override
    public UserId self() {
        return self;
    }

    @Override
    public void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        open();
        for (PublishedKeyPackage kp : oneTime) {
            sender.checkSize(kp.keyPackage());
        }
        if (lastResort.isPresent()) {
            sender.checkSize(lastResort.get().keyPackage());
        }
        keyPackages.publish(List.copyOf(oneTime), lastResort);
    }

    @Override
    public int availableKeyPackages() throws TransportException {
        open();
        return keyPackages.available();
    }

    @Override
    public void retractKeyPackage(Bytes ref) throws TransportException {
        open();
        keyPackages.retract(ref);
    }

    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        open();
        return keyPackages.claim(XmppIds.jid(user));
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        open();
        sender.checkSize(payload);
        join(room);
        return sender.toRoom(rooms.get(XmppIds.room(room)), id, payload);
    }

    @Override
    public ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException {
        open();
        join(room);
        return sender.textToRoom(rooms.get(XmppIds.room(room)), id, text);
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        open();
        XmppIds.room(room);
        sender.toUser(XmppIds.jid(user), room, id, welcome);
    }

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        open();
        join(room);
        return rooms.get(XmppIds.room(room)).members();
    }

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        open();
        XmppCursor start = after.isPresent() ? reader.decode(after.get()) : XmppCursor.start(selfJid.toString());
        if (!start.self().equals(selfJid.toString())) {
            throw new TransportException("cursor of another user", false);
        }
        for (String room : start.rooms().keySet()) {
            EntityBareJid jid = XmppIds.room(new RoomId(room));
            if (!rooms.containsKey(jid) && !refused.contains(jid)) {
                try {
                    join(new RoomId(room));
                } catch (TransportException e) {
                    if (e.retryable()) {
                        throw e;
                    }
                    refused.add(jid);
                    // Not allowed in any more: the room's position stays in the cursor as it was.
                    LOG.info("cannot follow room of the cursor: user={} room={} reason={}", selfJid, room,
                            e.getMessage());
                }
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long version = notifier.version();
            List<Delivery> out = reader.after(start, max);
            if (!out.isEmpty()) {
                return out;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !notifier.awaitChange(version, Duration.ofNanos(left))) {
                return List.of();
            }
            open();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            reconnector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.disconnect();
        notifier.signal();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void open() throws TransportException {
        if (closed) {
            throw new TransportException("connection of " + self + " is closed", false);
        }
    }

    @Override
    public String toString() {
        return "XmppTransport[" + self + (closed ? ", closed" : "") + "]";
    }
}
