package org.mlsbridge.matrix;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * Fetches one {@code /sync} and turns it into a {@link SyncBatch}: to-device Welcomes, and for
 * each joined or left room its timeline with any gap ({@code limited}) filled from
 * {@code /messages} back to {@code since}, so no commit is ever skipped. Only events from our
 * own join on are delivered (a room's history from before it may be readable but is not ours).
 */
final class SyncReader {
    /**
     * Sync filter: only our event types, memberships and chat clients' messages (plain text, for a
     * member-mode bridge's gateway); no presence, account data, receipts. Changing the types changes
     * which raw events a batch holds, so {@link SyncCursor}'s format version goes with it.
     */
    static final String FILTER = new JsonObject()
            .put("presence", new JsonObject().put("types", new JsonArray()))
            .put("account_data", new JsonObject().put("types", new JsonArray()))
            .put("room", new JsonObject()
                    .put("include_leave", true)
                    .put("state", new JsonObject().put("types", new JsonArray()))
                    .put("ephemeral", new JsonObject().put("types", new JsonArray()))
                    .put("account_data", new JsonObject().put("types", new JsonArray()))
                    .put("timeline", new JsonObject()
                            .put("types", new JsonArray().add(MlsContent.ROOM_EVENT).add(EventMapper.MEMBER_EVENT)
                                    .add(PlainContent.EVENT))
                            .put("limit", 50)))
            .encode();
    private static final String MESSAGES_FILTER = new JsonObject()
            .put("types", new JsonArray().add(MlsContent.ROOM_EVENT).add(EventMapper.MEMBER_EVENT)
                    .add(PlainContent.EVENT)).encode();
    /** Bound on one gap's pages (100 events each), so a hostile server cannot keep us paging. */
    private static final int MAX_GAP_PAGES = 10_000;

    /** The requests a sync needs ({@link MatrixHttp#call}); a seam so the fuzz targets can play the server. */
    interface Calls {
        JsonObject call(HttpMethod method, String path, Map<String, String> query, JsonObject body, Duration longPoll)
                throws TransportException, InterruptedException;
    }

    private final Calls http;
    private final String user;
    private final BiConsumer<String, String> malformed;
    private final java.util.concurrent.atomic.AtomicLong gapsFilled = new java.util.concurrent.atomic.AtomicLong();

    /** @param malformed told (where, reason) of every event dropped as malformed */
    SyncReader(Calls http, String user, BiConsumer<String, String> malformed) {
        this.http = http;
        this.user = user;
        this.malformed = malformed;
    }

    /** How many limited timelines were completed from /messages. */
    long gapsFilled() {
        return gapsFilled.get();
    }

    SyncBatch read(String since, Duration wait) throws TransportException, InterruptedException {
        Map<String, String> q = MatrixHttp.query("filter", FILTER, "timeout",
                Long.toString(Math.max(0, wait.toMillis())), "set_presence", "offline");
        if (!since.isEmpty()) {
            q.put("since", since);
        }
        JsonObject sync = http.call(HttpMethod.GET, MatrixHttp.API + "/sync", q, null, wait);
        if (!(sync.getValue("next_batch") instanceof String next) || next.isEmpty()) {
            throw new TransportException("sync answer without next_batch", true);
        }
        List<SyncBatch.Item> items = new ArrayList<>();
        JsonArray toDevice = array(sync, "to_device", "events");
        for (int i = 0; i < toDevice.size(); i++) {
            EventMapper.Mapped m = EventMapper.toDeviceEvent(toDevice.getValue(i));
            report("to-device", toDevice.getValue(i), m);
            items.add(new SyncBatch.Item(SyncCursor.TO_DEVICE, i, m.event()));
        }
        Map<String, JsonObject> rooms = new TreeMap<>();
        Map<String, Boolean> inJoin = new TreeMap<>();
        for (String section : List.of("leave", "join")) {
            if (sync.getValue("rooms") instanceof JsonObject r && r.getValue(section) instanceof JsonObject s) {
                for (String roomId : s.fieldNames()) {
                    if (!MatrixIds.isRoomId(roomId) || !(s.getValue(roomId) instanceof JsonObject room)) {
                        malformed.accept("sync", "room entry " + abbreviate(roomId) + " is not a room");
                        continue;
                    }
                    rooms.put(roomId, room);
                    inJoin.put(roomId, section.equals("join"));
                }
            }
        }
        for (Map.Entry<String, JsonObject> e : rooms.entrySet()) {
            RoomId room = new RoomId(e.getKey());
            List<Object> events = timeline(room, e.getValue(), since);
            boolean joined = joinedAtStart(events, inJoin.get(e.getKey()));
            for (int i = 0; i < events.size(); i++) {
                Object raw = events.get(i);
                Optional<EventMapper.Membership> own = EventMapper.membership(raw)
                        .filter(m -> m.user().equals(user));
                boolean visible = joined || own.map(m -> m.membership().equals("join")).orElse(false);
                EventMapper.Mapped m = visible ? EventMapper.roomEvent(room, raw) : EventMapper.Mapped.NOTHING;
                report(room.value(), raw, m);
                if (own.isPresent()) {
                    joined = own.get().membership().equals("join");
                }
                items.add(new SyncBatch.Item(room.value(), i, m.event()));
            }
        }
        return new SyncBatch(user, since, next, items);
    }

    /** Whether we were in the room before its first event here: told by our first own membership change. */
    private boolean joinedAtStart(List<Object> events, boolean inJoinSection) {
        for (Object raw : events) {
            Optional<EventMapper.Membership> own = EventMapper.membership(raw).filter(m -> m.user().equals(user));
            if (own.isPresent()) {
                return own.get().previous().equals("join");
            }
        }
        return inJoinSection;
    }

    /** The room's timeline in this sync, preceded by the gap back to {@code since} if it was limited. */
    private List<Object> timeline(RoomId room, JsonObject roomJson, String since)
            throws TransportException, InterruptedException {
        JsonObject tl = roomJson.getValue("timeline") instanceof JsonObject t ? t : new JsonObject();
        List<Object> events = new ArrayList<>();
        if (tl.getValue("events") instanceof JsonArray a) {
            events.addAll(a.getList().stream().map(SyncReader::wrap).toList());
        }
        if (Boolean.TRUE.equals(tl.getValue("limited")) && tl.getValue("prev_batch") instanceof String prev) {
            List<Object> gap = gap(room, prev, since);
            gapsFilled.incrementAndGet();
            Set<String> ids = new HashSet<>();
            List<Object> all = new ArrayList<>();
            for (Object ev : gap) {
                if (EventMapper.eventId(ev).map(ids::add).orElse(true)) {
                    all.add(ev);
                }
            }
            for (Object ev : events) {
                if (EventMapper.eventId(ev).map(ids::add).orElse(true)) {
                    all.add(ev);
                }
            }
            return all;
        }
        return events;
    }

    /** Events before {@code from} back to {@code since} (the room's start if empty), oldest first. */
    private List<Object> gap(RoomId room, String from, String since) throws TransportException, InterruptedException {
        List<Object> newestFirst = new ArrayList<>();
        String token = from;
        for (int page = 0; page < MAX_GAP_PAGES; page++) {
            Map<String, String> q = MatrixHttp.query("dir", "b", "from", token, "limit", "100", "filter",
                    MESSAGES_FILTER);
            if (!since.isEmpty()) {
                q.put("to", since);
            }
            JsonObject resp = http.call(HttpMethod.GET, MatrixHttp.API + "/rooms/" + MatrixHttp.encode(room.value())
                    + "/messages", q, null, Duration.ZERO);
            JsonArray chunk = resp.getValue("chunk") instanceof JsonArray c ? c : new JsonArray();
            for (int i = 0; i < chunk.size(); i++) {
                newestFirst.add(wrap(chunk.getValue(i)));
            }
            if (chunk.isEmpty() || !(resp.getValue("end") instanceof String end) || end.equals(token)) {
                Collections.reverse(newestFirst);
                return newestFirst;
            }
            token = end;
        }
        throw new TransportException("gap in " + room + " longer than " + MAX_GAP_PAGES + " pages", false);
    }

    private static Object wrap(Object o) {
        return o instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static JsonArray array(JsonObject o, String key, String inner) {
        if (o.getValue(key) instanceof JsonObject x && x.getValue(inner) instanceof JsonArray a) {
            return a;
        }
        return new JsonArray();
    }

    private void report(String where, Object raw, EventMapper.Mapped m) {
        if (m.malformed() != null) {
            String sender = raw instanceof JsonObject o && o.getValue("sender") instanceof String s ? s : "?";
            String id = EventMapper.eventId(raw).orElse("-");
            malformed.accept(where + " sender=" + abbreviate(sender) + " event=" + id, m.malformed());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
