package org.mlsbridge.bridge.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ClientStore;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.bridge.trust.Sequencing;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one MLS group between two rooms on two networks (docs/wire-formats.md, "The bridge"),
 * without reading it: it holds no group secret.
 *
 * <ul>
 *   <li><b>Handshake messages</b> (proposals, commits, GroupInfos) a member posts are submissions.
 *       The relay handles both rooms' events one at a time, on one thread; that order is the
 *       group's order. It posts each submission it accepts into both rooms, room A first, so the
 *       bridge account's posts appear in the same order in both rooms. Members of a bridged room
 *       act only on the bridge account's posts ({@code RoomPolicy.sequencer}), so the first commit
 *       of an epoch in the bridge's order wins on both sides.
 *   <li><b>Application messages</b> are posted into the other room unchanged.
 *   <li><b>Welcomes</b> for a joiner on the other network reach the bridge account on the
 *       committer's network; the relay looks up the joiner by the KeyPackage references in the
 *       Welcome (learnt from the Add proposals it sequenced) and sends it on with
 *       {@code sendToUser} on the joiner's network.
 * </ul>
 *
 * <p>Application messages are posted several at a time ({@link PostWindow}, up to
 * {@value #POSTS_IN_FLIGHT} in flight): MLS reads them out of order within an epoch, and only one
 * sender's messages keep their order (each waits for the sender's previous post), so a person's
 * messages read in the order written while different people's may overtake each other. A side's
 * cursor is saved only once every post of the events before it has been answered: at the end of
 * each turn, and with each handshake message, before which every post in flight is awaited (so a handshake message never overtakes an application message read before
 * it). Posts carry client message ids derived from the source event, so after a failure or a crash
 * the events after the saved cursor are handled again and the transports' idempotence drops the
 * repeated posts. A handshake message goes into a durable queue in the same
 * transaction as its cursor ({@link SequenceQueue}), and the queue is posted oldest first, each
 * entry into both rooms before the next: a failure or a crash between the two posts of one entry
 * cannot let another overtake it in one room only. The membership side (which network accounts
 * are MLS members) is the external-sender bot's, run on a {@link PairedTransport}; a bot that
 * shares the bridge accounts hands its proposals to {@link #sequence}.
 *
 * <p>Several relays (one per bridged pair) may share one store and one connection per network:
 * each keeps its records under its own {@code name}, and skips the other rooms' events.
 */
public final class BridgeRelay implements Sequencer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeRelay.class);
    private static final String[] NAMES = {"a", "b"};
    /** KeyPackage references remembered for routing Welcomes; older ones are forgotten first. */
    static final int KEY_PACKAGE_REFS_KEPT = 4096;
    /** Application-message posts in flight at once, over both rooms. */
    static final int POSTS_IN_FLIGHT = 16;

    private final RoomSide[] sides;
    private final ClientStore store;
    private final ClientOptions options;
    private final Submissions submissions;
    private final String prefix;
    private final SequenceQueue queue;
    private final RelayCounters counters = new RelayCounters();
    private final PostWindow posts = new PostWindow(POSTS_IN_FLIGHT);
    /** Per side, the cursor after the last event handled in this turn but not yet saved. */
    private final Cursor[] unsaved = new Cursor[2];
    private final SideReader reader;

    /** The only relay of its store. */
    public BridgeRelay(RoomSide a, RoomSide b, ClientStore store, ClientOptions options) {
        this("", a, b, store, options);
    }

    /**
     * One of several relays sharing {@code store}: {@code name} (unique per store, e.g. the pair's
     * index) keeps this one's cursors, queue and references apart.
     */
    public BridgeRelay(String name, RoomSide a, RoomSide b, ClientStore store, ClientOptions options) {
        this.sides = new RoomSide[] {Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b")};
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.submissions = new Submissions(options.authentication());
        this.prefix = Objects.requireNonNull(name, "name").isEmpty() ? "relay:" : "relay:" + name + ":";
        this.queue = new SequenceQueue(prefix + "seq:");
        this.reader = new SideReader(a, b);
    }

    public RelayCounters counters() {
        return counters;
    }

    /** Room A and room B. */
    public List<RoomSide> sides() {
        return List.of(sides);
    }

    /** Handshake messages accepted but not yet posted into both rooms (a server was unreachable). */
    public long queued() {
        return store.transaction(queue::size);
    }

    /**
     * One turn: posts what is queued, then handles up to {@code max} events of each side, waiting
     * up to {@code wait} when neither had any: for news of either side if both sides' connections
     * read ahead into one {@link org.mlsbridge.bridge.transport.ReadAhead}, else on the first side
     * ({@link SideReader}).
     *
     * @return how many events were handled
     * @throws TransportException a network failed; the event it stopped at is handled again next turn
     */
    public int step(int max, Duration wait) throws TransportException, InterruptedException {
        drain();
        boolean done = false;
        try {
            int handled = reader.turn(wait, (i, w) -> stepSide(i, max, w));
            posts.awaitAll();
            saveCursors();
            done = true;
            return handled;
        } finally {
            if (!done) {
                // no post of this turn may still run when the next one posts the same events again
                posts.abandon();
                unsaved[0] = null;
                unsaved[1] = null;
            }
        }
    }

    /**
     * A handshake message of the bridge's own bot, queued for both rooms and posted in the pair's
     * order; a posting failure leaves it queued for the next turn.
     */
    @Override
    public void sequence(ClientMessageId id, Bytes payload) throws TransportException {
        Optional<MlsMessage> msg;
        try {
            msg = Optional.of(MlsMessage.decode(payload));
        } catch (DecodeException e) {
            throw new TransportException("not an MLS message: " + e.getMessage(), false);
        }
        store.transaction(tx -> {
            msg.ifPresent(m -> learnKeyPackages(tx, m));
            queue.add(tx, id, payload);
            return null;
        });
        counters.sequence();
        try {
            drain();
        } catch (TransportException e) {
            if (!e.retryable()) {
                throw e;
            }
            LOG.info("sequenced post waits for the network: id={} reason={}", id, e.getMessage());
        }
    }

    private int stepSide(int i, int max, Duration wait) throws TransportException, InterruptedException {
        RoomSide side = sides[i];
        Optional<Cursor> cursor = unsaved[i] != null ? Optional.of(unsaved[i])
                : store.transaction(tx -> tx.blob(cursorKey(i)))
                        .map(b -> new Cursor(new String(b.toByteArray(), StandardCharsets.UTF_8)));
        List<Delivery> batch = side.transport().poll(cursor, max, wait);
        for (Delivery d : batch) {
            handle(i, d);
        }
        return batch.size();
    }

    private String cursorKey(int i) {
        return prefix + "cursor:" + NAMES[i];
    }

    private void saveCursor(ClientStore.Tx tx, int i, Cursor c) {
        tx.putBlob(cursorKey(i), Bytes.wrap(c.value().getBytes(StandardCharsets.UTF_8)));
    }

    /** The event is handled, but its posts may still be in flight: its cursor is saved with the turn's. */
    private void advance(int i, Delivery d) {
        unsaved[i] = d.cursor();
    }

    /** Every post of the turn answered: both sides' cursors in one transaction. */
    private void saveCursors() {
        if (unsaved[0] == null && unsaved[1] == null) {
            return;
        }
        store.transaction(tx -> {
            for (int i = 0; i < 2; i++) {
                if (unsaved[i] != null) {
                    saveCursor(tx, i, unsaved[i]);
                }
            }
            return null;
        });
        unsaved[0] = null;
        unsaved[1] = null;
    }

    private void handle(int i, Delivery d) throws TransportException, InterruptedException {
        RoomSide side = sides[i];
        if (!(d.event() instanceof RoomEvent.RoomMessage)) {
            counters.sawForTheBot(); // membership, plain text, Welcomes
        }
        switch (d.event()) {
            case RoomEvent.RoomMessage m -> {
                if (m.room().equals(side.room()) && !m.sender().equals(side.transport().self())) {
                    onRoomMessage(i, m, d);
                    return;
                }
            }
            case RoomEvent.WelcomeReceived w -> forwardWelcome(i, w);
            case RoomEvent.PlainMessage p -> {
                // text without MLS is never relayed: gatewaying it is the member-mode bot's job
            }
            case RoomEvent.MemberJoined j -> {
                // membership is the bot's job
            }
            case RoomEvent.MemberLeft l -> {
                // membership is the bot's job
            }
            case RoomEvent.MemberBanned b -> {
                // membership is the bot's job
            }
        }
        advance(i, d);
    }

    private void onRoomMessage(int i, RoomEvent.RoomMessage m, Delivery d)
            throws TransportException, InterruptedException {
        MlsMessage msg;
        try {
            msg = MlsMessage.decode(m.payload());
        } catch (DecodeException e) {
            counters.sawForTheBot();
            refuse(m, "not an MLS message: " + e.getMessage());
            advance(i, d);
            return;
        }
        String source = NAMES[i] + "/" + m.serverId().value();
        if (!(msg.body() instanceof PrivateMessage pm && pm.contentType() == ContentType.APPLICATION)) {
            counters.sawForTheBot();
        }
        if (Sequencing.isHandshake(msg)) {
            try {
                submissions.check(msg, m.sender());
            } catch (Refusal e) {
                refuse(m, e.getMessage());
                advance(i, d);
                return;
            }
            // every application message read before it is in its room first; then the cursors
            // may pass them
            posts.awaitAll();
            store.transaction(tx -> {
                learnKeyPackages(tx, msg);
                queue.add(tx, messageId("seq", source), m.payload());
                for (int j = 0; j < 2; j++) {
                    if (unsaved[j] != null && j != i) {
                        saveCursor(tx, j, unsaved[j]);
                    }
                }
                saveCursor(tx, i, d.cursor());
                return null;
            });
            unsaved[0] = null;
            unsaved[1] = null;
            counters.sequence();
            LOG.debug("sequenced: from={} room={} id={}", m.sender(), m.room(), m.serverId());
            drain();
        } else if (msg.body() instanceof PrivateMessage) {
            ClientMessageId id = messageId("app", source);
            posts.submit(m.sender(), () -> {
                if (post(1 - i, id, m.payload())) {
                    counters.relay();
                }
            });
            advance(i, d);
        } else {
            refuse(m, msg.wireFormat() + " has no place in a room");
            advance(i, d);
        }
    }

    /** Posts the queue, oldest first, each entry into room A and then room B before the next. */
    private void drain() throws TransportException {
        while (true) {
            Optional<SequenceQueue.Entry> head = store.transaction(queue::head);
            if (head.isEmpty()) {
                return;
            }
            post(0, head.get().id(), head.get().payload());
            post(1, head.get().id(), head.get().payload());
            store.transaction(tx -> {
                queue.removeHead(tx);
                return null;
            });
        }
    }

    private void refuse(RoomEvent.RoomMessage m, String why) {
        counters.refuse();
        LOG.info("not relayed: room={} id={} sender={} reason={}", m.room(), m.serverId(), m.sender(), why);
    }

    /**
     * Remembers which account each KeyPackage of a sequenced Add belongs to, to route its Welcome;
     * the newest {@value #KEY_PACKAGE_REFS_KEPT} only (a Welcome follows its Add within an epoch).
     */
    private void learnKeyPackages(ClientStore.Tx tx, MlsMessage msg) {
        if (!(msg.body() instanceof PublicMessage p)) {
            return;
        }
        List<Proposal> proposals = switch (p.content().content()) {
            case Content.ProposalContent c -> List.of(c.proposal());
            case Content.CommitContent c -> c.commit().proposals().stream()
                    .filter(x -> x instanceof ProposalOrRef.ByValue)
                    .map(x -> ((ProposalOrRef.ByValue) x).proposal()).toList();
            case Content.Application a -> List.of();
        };
        for (Proposal proposal : proposals) {
            if (proposal instanceof Proposal.Add add) {
                KeyPackage kp = add.keyPackage();
                try {
                    UserId owner = options.authentication().identity(kp.leafNode().credential());
                    Bytes ref = kp.ref(options.groupConfig().crypto().suite(kp.cipherSuite()));
                    remember(tx, ref, owner);
                } catch (Refusal e) {
                    LOG.info("Add of a KeyPackage naming no account: reason={}", e.getMessage());
                }
            }
        }
    }

    /** A ring of the newest references: the slot's previous reference is forgotten. */
    private void remember(ClientStore.Tx tx, Bytes ref, UserId owner) {
        long n = tx.blob(prefix + "kpn").map(b -> Long.parseLong(new String(b.toByteArray(), StandardCharsets.UTF_8)))
                .orElse(0L);
        String slot = prefix + "kpring:" + (n % KEY_PACKAGE_REFS_KEPT);
        tx.blob(slot).ifPresent(old -> tx.deleteBlob(prefix + "kp:" + new String(old.toByteArray(),
                StandardCharsets.UTF_8)));
        tx.putBlob(slot, Bytes.wrap(ref.hex().getBytes(StandardCharsets.UTF_8)));
        tx.putBlob(prefix + "kp:" + ref.hex(), Bytes.wrap(owner.value().getBytes(StandardCharsets.UTF_8)));
        tx.putBlob(prefix + "kpn", Bytes.wrap(Long.toString(n + 1).getBytes(StandardCharsets.UTF_8)));
    }

    /** How many KeyPackage references the relay remembers (at most {@value #KEY_PACKAGE_REFS_KEPT}). */
    public long keyPackageRefsKept() {
        return store.transaction(tx -> tx.blob(prefix + "kpn")
                .map(b -> Math.min(KEY_PACKAGE_REFS_KEPT, Long.parseLong(new String(b.toByteArray(),
                        StandardCharsets.UTF_8)))).orElse(0L));
    }

    private void forwardWelcome(int i, RoomEvent.WelcomeReceived w) throws TransportException {
        forwardWelcome(i, w.sender(), w.serverId().value(), w.welcome());
    }

    /** The bot's own Welcome for joiners on room B's network (it is on room A's). */
    @Override
    public void forwardWelcome(ClientMessageId id, Bytes welcome) throws TransportException {
        forwardWelcome(0, sides[0].transport().self(), "own/" + id.value(), welcome);
    }

    private void forwardWelcome(int i, UserId sender, String sourceId, Bytes raw) throws TransportException {
        int other = 1 - i;
        Welcome welcome;
        try {
            if (!(MlsMessage.decode(raw).body() instanceof Welcome wb)) {
                throw new DecodeException("not a Welcome");
            }
            welcome = wb;
        } catch (DecodeException e) {
            counters.refuse();
            LOG.info("Welcome not forwarded: from={} reason={}", sender, e.getMessage());
            return;
        }
        UserId.Network away = sides[other].transport().self().network();
        for (EncryptedGroupSecrets s : welcome.secrets()) {
            Optional<UserId> joiner = store.transaction(tx -> tx.blob(prefix + "kp:" + s.newMember().hex()))
                    .map(b -> new UserId(new String(b.toByteArray(), StandardCharsets.UTF_8)));
            if (joiner.isPresent() && joiner.get().network() == away) {
                ClientMessageId id = messageId("welcome", NAMES[i] + "/" + sourceId + "/" + joiner.get());
                try {
                    sides[other].transport().sendToUser(joiner.get(), sides[other].room(), id, raw);
                    counters.welcome();
                    LOG.info("Welcome forwarded: to={} room={}", joiner.get(), sides[other].room());
                } catch (TransportException e) {
                    failed(e, "Welcome to " + joiner.get());
                }
            }
        }
    }

    /** @return whether the server took it (false: refused for good, counted and skipped) */
    private boolean post(int target, ClientMessageId id, Bytes payload) throws TransportException {
        RoomSide side = sides[target];
        try {
            side.transport().sendToRoom(side.room(), id, payload);
            return true;
        } catch (TransportException e) {
            failed(e, "post into " + side.room());
            return false;
        }
    }

    /** A retryable failure stops the turn (the event is handled again); a permanent one skips the post. */
    private void failed(TransportException e, String what) throws TransportException {
        if (e.retryable()) {
            throw e;
        }
        counters.sendFailure();
        LOG.warn("relay send refused for good: what={} reason={}", what, e.getMessage());
    }

    /** The same id every time the same source event is handled, so repeated posts are dropped by the server. */
    private static ClientMessageId messageId(String kind, String source) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((kind + "\n" + source).getBytes(StandardCharsets.UTF_8));
            return new ClientMessageId("bridge-" + kind + "-" + HexFormat.of().formatHex(h, 0, 20));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** Closes both connections and the store (when this relay owns them alone). */
    @Override
    public void close() {
        posts.close();
        for (RoomSide s : sides) {
            s.transport().close();
        }
        store.close();
    }
}
