package org.mlsbridge.matrix;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * A position in one account's stream: the {@code since} token of a sync batch (empty before the
 * first sync) and, per part of that batch, how many of its raw events are consumed: the to-device
 * list ({@link #TO_DEVICE}) and each room's gap-free timeline. Resuming syncs again from
 * {@code since}, which returns the same events in each part (plus any newer ones at the end), and
 * skips the consumed ones. Encoded as {@code mx2.} + base64url(JSON), and bound to its account.
 *
 * <p>{@code mx1.} cursors counted room events under a sync filter without plain messages; the
 * same batch now holds more raw events, so their room counts would point elsewhere and could skip
 * an event. Such a cursor resumes from its batch with the room counts at zero: the batch's room
 * events come again, which every consumer drops by their ids, and nothing is skipped.
 */
record SyncCursor(String user, String since, Map<String, Integer> consumed) {
    static final String TO_DEVICE = "to_device";
    private static final String PREFIX = "mx2.";
    private static final String BEFORE_PLAIN_TEXT = "mx1.";
    private static final int MAX_LENGTH = 256 * 1024;

    SyncCursor {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(since, "since");
        consumed = Map.copyOf(new TreeMap<>(consumed));
    }

    static SyncCursor start(String user) {
        return new SyncCursor(user, "", Map.of());
    }

    SyncCursor withSince(String token) {
        return new SyncCursor(user, token, consumed);
    }

    int consumed(String part) {
        return consumed.getOrDefault(part, 0);
    }

    Cursor encode() {
        JsonObject parts = new JsonObject();
        new TreeMap<>(consumed).forEach(parts::put);
        JsonObject o = new JsonObject().put("u", user).put("s", since).put("c", parts);
        return new Cursor(PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(o.encode().getBytes(StandardCharsets.UTF_8)));
    }

    /** Parses a cursor of {@code user}'s stream; anything else fails non-retryably. */
    static SyncCursor decode(Cursor cursor, String user) throws TransportException {
        String v = cursor.value();
        boolean old = v.startsWith(BEFORE_PLAIN_TEXT);
        if (!(v.startsWith(PREFIX) || old) || v.length() > MAX_LENGTH) {
            throw new TransportException("not a cursor of this Matrix transport: " + abbreviate(v), false);
        }
        JsonObject o;
        try {
            byte[] json = Base64.getUrlDecoder().decode(v.substring(PREFIX.length()));
            o = new JsonObject(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            throw new TransportException("malformed Matrix cursor: " + abbreviate(v), false);
        }
        if (!(o.getValue("u") instanceof String u) || !(o.getValue("s") instanceof String s)
                || !(o.getValue("c") instanceof JsonObject c) || o.size() != 3) {
            throw new TransportException("malformed Matrix cursor: " + abbreviate(v), false);
        }
        if (!u.equals(user)) {
            throw new TransportException("cursor of " + u + ", not of " + user, false);
        }
        Map<String, Integer> consumed = new TreeMap<>();
        for (String part : c.fieldNames()) {
            if (!(c.getValue(part) instanceof Integer n) || n < 0
                    || !(part.equals(TO_DEVICE) || MatrixIds.isRoomId(part))) {
                throw new TransportException("malformed Matrix cursor: " + abbreviate(v), false);
            }
            if (!old || part.equals(TO_DEVICE)) {
                consumed.put(part, n);
            }
        }
        return new SyncCursor(u, s, consumed);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
