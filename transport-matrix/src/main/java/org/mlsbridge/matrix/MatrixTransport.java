package org.mlsbridge.matrix;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} SPI over the Matrix Client-Server API, for one account's MLS device
 * ({@link MatrixAccount#deviceId}). Room traffic is the room event
 * {@code org.mlsbridge.mls.message}, Welcomes the to-device event
 * {@code org.mlsbridge.mls.welcome}, KeyPackages one-time and fallback keys of algorithm
 * {@code org.mlsbridge.mls.kp}; docs/wire-formats.md has the details.
 *
 * <p>The stream is {@code /sync}: a cursor is a sync token plus how many events of that batch
 * are consumed ({@link SyncCursor}). Sends use the caller's {@link ClientMessageId} as the
 * transaction id, which the homeserver de-duplicates per device, across logins.
 *
 * <p>Beyond the SPI it offers the room operations a client needs (create, invite, join, leave,
 * ban). Blocking; call from virtual threads. Safe for concurrent use.
 */
public final class MatrixTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixTransport.class);
    private static final int MAX_UPLOAD_BATCH = 50;

    private final MatrixAccount account;
    private final String matrixUser;
    private final WebClient client;
    private final MatrixHttp http;
    private final SyncReader reader;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final AtomicLong malformed = new AtomicLong();
    /** The latest batch read, to serve the next poll without a request. */
    private SyncBatch cached;
    /** A cursor after which its batch had nothing deliverable, and that batch's next_batch. */
    private String emptyAfter;
    private String emptyNext;
    private volatile boolean closed;
    /** Whether this connection has uploaded the device's device_keys (it does on its first key upload). */
    private volatile boolean advertised;

    MatrixTransport(WebClient client, MatrixAccount account, RetryPolicy policy) {
        this.client = Objects.requireNonNull(client, "client");
        this.account = Objects.requireNonNull(account, "account");
        this.matrixUser = account.matrixUserId();
        this.http = new MatrixHttp(client, account, policy);
        this.reader = new SyncReader(http::call, matrixUser, (where, reason) -> {
            malformed.incrementAndGet();
            LOG.warn("dropped malformed event: user={} in={} reason={}", matrixUser, where, reason);
        });
    }

    @Override
    public UserId self() {
        return account.user();
    }

    /** Logs in now (otherwise the first call does). */
    public void login() throws TransportException, InterruptedException {
        open();
        http.ensureLoggedIn();
    }

    /** Events of our types dropped because they failed validation (since this connection opened). */
    public long malformedEvents() {
        return malformed.get();
    }

    /** Requests retried after a rate limit, server or network error, or an expired token. */
    public long retries() {
        return http.retries();
    }

    /** Limited sync timelines whose gap was filled from /messages. */
    public long gapsFilled() {
        return reader.gapsFilled();
    }

    /** Password logins made by this connection. */
    public long logins() {
        return http.logins();
    }

    // ---- KeyPackages --------------------------------------------------------------------------

    @Override
    public void publishKeyPackages(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        open();
        JsonObject fallback = new JsonObject();
        if (lastResort.isPresent()) {
            fallback.put(MlsContent.keyId(lastResort.get().ref()), MlsContent.keyValue(lastResort.get().keyPackage()));
        }
        int from = 0;
        do {
            JsonObject keys = new JsonObject();
            for (PublishedKeyPackage kp : oneTime.subList(from, Math.min(oneTime.size(), from + MAX_UPLOAD_BATCH))) {
                keys.put(MlsContent.keyId(kp.ref()), MlsContent.keyValue(kp.keyPackage()));
            }
            JsonObject body = new JsonObject();
            if (!keys.isEmpty()) {
                body.put("one_time_keys", keys);
            }
            if (from == 0 && !fallback.isEmpty()) {
                body.put("fallback_keys", fallback);
            }
            if (!body.isEmpty()) {
                uploadKeys(body);
            }
            from += MAX_UPLOAD_BATCH;
        } while (from < oneTime.size());
    }

    @Override
    public int availableKeyPackages() throws TransportException {
        open();
        return uploadKeys(new JsonObject());
    }

    /**
     * POST /keys/upload; returns the device's count of unclaimed one-time KeyPackages. The first
     * upload of a connection also carries the device's {@code device_keys}, which name the MLS
     * algorithm, so that others find this device among the account's ({@code /keys/query});
     * uploading the same again changes nothing on the homeserver.
     */
    private int uploadKeys(JsonObject body) throws TransportException {
        boolean advertise = !advertised;
        if (advertise) {
            body.put("device_keys", KeyPackageDirectory.deviceKeys(matrixUser, account.deviceId()));
        }
        JsonObject resp = interruptible(() -> http.call(HttpMethod.POST, MatrixHttp.API + "/keys/upload", body));
        if (advertise) {
            advertised = true;
        }
        if (resp.getValue("one_time_key_counts") instanceof JsonObject counts) {
            Object n = counts.getValue(MlsContent.KEY_ALGORITHM);
            if (n == null) {
                return 0;
            }
            if (n instanceof Integer i && i >= 0) {
                return i;
            }
        }
        throw new TransportException("keys/upload answer without a valid one_time_key_counts", true);
    }

    /**
     * The Client-Server API cannot delete one one-time key, so this claims the device's own keys
     * until it meets {@code ref} (or runs out) and uploads the others again. The fallback key
     * (last_resort) cannot be withdrawn; the next last_resort replaces it.
     */
    @Override
    public void retractKeyPackage(Bytes ref) throws TransportException {
        open();
        String target = MlsContent.keyId(ref);
        JsonObject putBack = new JsonObject();
        try {
            int before = availableKeyPackages();
            // Each claim takes one key; one that leaves the count unchanged was the fallback key,
            // which is handed out again and again: then no one-time key is left to look at.
            while (before > 0) {
                List<KeyPackageDirectory.Claimed> claimed = claim(matrixUser, List.of(account.deviceId()));
                int after = availableKeyPackages();
                if (claimed.isEmpty() || after >= before) {
                    break;
                }
                if (claimed.get(0).keyId().equals(target)) {
                    break;
                }
                putBack.put(claimed.get(0).keyId(), MlsContent.keyValue(claimed.get(0).keyPackage()));
                before = after;
            }
        } finally {
            if (!putBack.isEmpty()) {
                uploadKeys(new JsonObject().put("one_time_keys", putBack));
            }
        }
    }

    /**
     * One KeyPackage of {@code user}: its MLS devices ({@code /keys/query}) are asked one at a
     * time in device-id order, and the first KeyPackage handed out is taken, so the other devices'
     * one-time keys are not used up.
     */
    @Override
    public Optional<Bytes> claimKeyPackage(UserId user) throws TransportException {
        open();
        String mx = matrixUserOf(user);
        for (String device : mlsDevices(mx)) {
            List<KeyPackageDirectory.Claimed> claimed = claim(mx, List.of(device));
            if (!claimed.isEmpty()) {
                return Optional.of(claimed.get(0).keyPackage());
            }
        }
        return Optional.empty();
    }

    /**
     * One KeyPackage from each MLS device of {@code user} that has one, in device-id order: its
     * devices from {@code /keys/query}, then one {@code /keys/claim} naming them all.
     */
    @Override
    public List<Bytes> claimKeyPackages(UserId user) throws TransportException {
        open();
        String mx = matrixUserOf(user);
        List<String> devices = mlsDevices(mx);
        if (devices.isEmpty()) {
            return List.of();
        }
        return claim(mx, devices).stream().map(KeyPackageDirectory.Claimed::keyPackage).toList();
    }

    /** POST /keys/query: the devices of {@code mx} that publish KeyPackages. */
    private List<String> mlsDevices(String mx) throws TransportException {
        JsonObject resp = interruptible(() -> http.call(HttpMethod.POST, MatrixHttp.API + "/keys/query",
                KeyPackageDirectory.queryBody(mx)));
        failures("keys/query", mx, resp);
        return KeyPackageDirectory.mlsDevices(resp, mx, reason -> dropKeys(mx, reason));
    }

    /** POST /keys/claim of one KeyPackage from each of {@code devices} of {@code mx}. */
    private List<KeyPackageDirectory.Claimed> claim(String mx, List<String> devices) throws TransportException {
        JsonObject resp = interruptible(() -> http.call(HttpMethod.POST, MatrixHttp.API + "/keys/claim",
                KeyPackageDirectory.claimBody(mx, devices)));
        failures("keys/claim", mx, resp);
        return KeyPackageDirectory.claimed(resp, mx, devices, reason -> dropKeys(mx, reason));
    }

    /** A homeserver that could not reach the user's server says so in {@code failures}: try again later. */
    private static void failures(String what, String mx, JsonObject resp) throws TransportException {
        if (resp.getValue("failures") instanceof JsonObject f && !f.isEmpty()) {
            throw new TransportException(what + " for " + mx + " failed at " + f.size() + " server(s)", true);
        }
    }

    private void dropKeys(String mx, String reason) {
        malformed.incrementAndGet();
        LOG.warn("dropped part of a keys answer: user={} reason={}", mx, reason);
    }

    // ---- sending ------------------------------------------------------------------------------

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        open();
        return send(room, MlsContent.ROOM_EVENT, id, MlsContent.roomContent(payload));
    }

    @Override
    public ServerId sendTextToRoom(RoomId room, ClientMessageId id, String text) throws TransportException {
        open();
        return send(room, PlainContent.EVENT, id, PlainContent.notice(text));
    }

    /** One room event under our transaction id: a retry returns the first event's id. */
    private ServerId send(RoomId room, String type, ClientMessageId id, JsonObject content) throws TransportException {
        String roomId = roomIdOf(room);
        JsonObject resp = interruptible(() -> http.call(HttpMethod.PUT, MatrixHttp.API + "/rooms/"
                + MatrixHttp.encode(roomId) + "/send/" + MatrixHttp.encode(type) + "/"
                + MatrixHttp.encode(id.value()), content));
        if (!(resp.getValue("event_id") instanceof String eventId) || !EventMapper.isEventId(eventId)) {
            throw new TransportException("send answer without a valid event_id", true);
        }
        return new ServerId(eventId);
    }

    @Override
    public void sendToUser(UserId user, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        open();
        String mx = matrixUserOf(user);
        JsonObject content = MlsContent.welcomeContent(welcome, room);
        // every device of the account: its MLS clients may be any of them; the others ignore the type
        JsonObject body = new JsonObject().put("messages",
                new JsonObject().put(mx, new JsonObject().put("*", content)));
        interruptible(() -> http.call(HttpMethod.PUT, MatrixHttp.API + "/sendToDevice/"
                + MatrixHttp.encode(MlsContent.WELCOME_EVENT) + "/" + MatrixHttp.encode(id.value()), body));
    }

    // ---- rooms --------------------------------------------------------------------------------

    @Override
    public Set<UserId> members(RoomId room) throws TransportException {
        open();
        String roomId = roomIdOf(room);
        JsonObject resp = interruptible(() -> http.call(HttpMethod.GET, MatrixHttp.API + "/rooms/"
                + MatrixHttp.encode(roomId) + "/joined_members", null));
        Set<UserId> out = new HashSet<>();
        if (resp.getValue("joined") instanceof JsonObject joined) {
            for (String u : joined.fieldNames()) {
                MatrixIds.userIfValid(u).ifPresent(out::add);
            }
        }
        return Set.copyOf(out);
    }

    /**
     * Creates a private room whose history members see from their join on, inviting
     * {@code invite}; returns its id.
     */
    public RoomId createRoom(String name, List<UserId> invite) throws TransportException {
        open();
        JsonArray invites = new JsonArray();
        for (UserId u : invite) {
            invites.add(matrixUserOf(u));
        }
        JsonObject body = new JsonObject().put("preset", "private_chat").put("name", name).put("invite", invites)
                .put("initial_state", new JsonArray().add(new JsonObject().put("type", "m.room.history_visibility")
                        .put("state_key", "").put("content", new JsonObject().put("history_visibility", "joined"))));
        JsonObject resp = interruptible(() -> http.call(HttpMethod.POST, MatrixHttp.API + "/createRoom", body));
        if (!(resp.getValue("room_id") instanceof String id) || !MatrixIds.isRoomId(id)) {
            throw new TransportException("createRoom answer without a valid room_id", true);
        }
        return new RoomId(id);
    }

    public void invite(RoomId room, UserId user) throws TransportException {
        membershipCall(room, "invite", new JsonObject().put("user_id", matrixUserOf(user)));
    }

    public void join(RoomId room) throws TransportException {
        open();
        String roomId = roomIdOf(room);
        interruptible(() -> http.call(HttpMethod.POST, MatrixHttp.API + "/join/" + MatrixHttp.encode(roomId),
                new JsonObject()));
    }

    public void leave(RoomId room) throws TransportException {
        membershipCall(room, "leave", new JsonObject());
    }

    public void ban(RoomId room, UserId user, String reason) throws TransportException {
        membershipCall(room, "ban", new JsonObject().put("user_id", matrixUserOf(user)).put("reason", reason));
    }

    private void membershipCall(RoomId room, String action, JsonObject body) throws TransportException {
        open();
        String roomId = roomIdOf(room);
        interruptible(() -> http.call(HttpMethod.POST, MatrixHttp.API + "/rooms/" + MatrixHttp.encode(roomId) + "/"
                + action, body));
    }

    // ---- the stream ---------------------------------------------------------------------------

    @Override
    public List<Delivery> poll(Optional<Cursor> after, int max, Duration wait)
            throws TransportException, InterruptedException {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        open();
        SyncCursor cursor = after.isPresent() ? SyncCursor.decode(after.get(), matrixUser) : SyncCursor.start(matrixUser);
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        pollLock.lock();
        try {
            String key = after.map(Cursor::value).orElse("");
            if (key.equals(emptyAfter) && cached != null && cached.since().equals(emptyNext)) {
                // We already know nothing deliverable follows this cursor in its batch.
                cursor = new SyncCursor(matrixUser, emptyNext, Map.of());
            }
            SyncBatch batch = cached != null && cached.since().equals(cursor.since()) ? cached : null;
            if (batch == null || batch.beyondEnd(cursor).isPresent()) {
                // not read yet, or the cursor came from a later read of the same batch (another connection)
                batch = reader.read(cursor.since(), remaining(deadline));
            }
            Optional<String> beyond = batch.beyondEnd(cursor);
            if (beyond.isPresent()) {
                throw new TransportException("cursor is beyond the end of " + beyond.get(), false);
            }
            cached = batch;
            while (true) {
                List<Delivery> out = batch.deliveriesAfter(cursor, max);
                if (!out.isEmpty()) {
                    return out;
                }
                // Everything of this batch is consumed: go on from its next_batch.
                emptyAfter = key;
                emptyNext = batch.next();
                cursor = new SyncCursor(matrixUser, batch.next(), Map.of());
                batch = reader.read(cursor.since(), remaining(deadline));
                cached = batch;
                out = batch.deliveriesAfter(cursor, max);
                if (!out.isEmpty() || remaining(deadline).isZero()) {
                    return out;
                }
            }
        } finally {
            pollLock.unlock();
        }
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void open() throws TransportException {
        if (closed) {
            throw new TransportException("connection of " + account.user() + " is closed", false);
        }
    }

    private static String matrixUserOf(UserId user) throws TransportException {
        return MatrixIds.matrixUserId(user)
                .orElseThrow(() -> new TransportException("not a Matrix identity: " + user, false));
    }

    private static String roomIdOf(RoomId room) throws TransportException {
        if (!MatrixIds.isRoomId(room.value())) {
            throw new TransportException("not a Matrix room id: " + room, false);
        }
        return room.value();
    }

    private interface Call<T> {
        T run() throws TransportException, InterruptedException;
    }

    /** The SPI's non-poll calls are not interruptible; an interrupt ends the call, retryable. */
    private static <T> T interruptible(Call<T> call) throws TransportException {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", true, e);
        }
    }

    @Override
    public String toString() {
        return "MatrixTransport[" + account.user() + (closed ? ", closed" : "") + "]";
    }
}
