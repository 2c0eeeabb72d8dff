package org.mlsbridge.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.xmpp.room.RoomPosition;

/**
 * Where a user's stream stands: per room the last delivered archive id (the room's stanza-id),
 * how many membership events after it were delivered, and the members after them; for the Welcome
 * inbox the last delivered id of the user's own archive. Encoded as versioned lines, base64url.
 *
 * @param self the bare JID the cursor belongs to; other users' cursors are refused
 * @param inboxAfter last delivered archive id of the user's own archive; empty: from the start
 */
public record XmppCursor(String self, String inboxAfter, SortedMap<String, RoomPosition> rooms) {
    static final String PREFIX = "xmpp1.";
    private static final String NONE = "-";
    private static final int MAX_ENCODED = 1 << 20;

    public XmppCursor {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(inboxAfter, "inboxAfter");
        // A map made by withRoom belongs to this cursor alone; any other is copied, so no caller can
        // change the cursor (a poll makes one cursor per delivery: one copy each, not two).
        rooms = Collections.unmodifiableSortedMap(rooms instanceof OwnRooms ? rooms : new TreeMap<>(rooms));
    }

    /** The rooms of a cursor being made by {@link #withRoom}, never seen by anyone else. */
    private static final class OwnRooms extends TreeMap<String, RoomPosition> {
        OwnRooms(SortedMap<String, RoomPosition> rooms) {
            super(rooms);
        }
    }

    static XmppCursor start(String self) {
        return new XmppCursor(self, "", new TreeMap<>());
    }

    RoomPosition room(String room) {
        return rooms.getOrDefault(room, RoomPosition.start());
    }

    XmppCursor withRoom(String room, RoomPosition p) {
        OwnRooms m = new OwnRooms(rooms);
        m.put(room, p);
        return new XmppCursor(self, inboxAfter, m);
    }

    XmppCursor withInbox(String after) {
        return new XmppCursor(self, after, rooms);
    }

    Cursor encode() {
        return encode(new IdentityHashMap<>());
    }

    /**
     * Encodes this cursor, taking the text of a room's members from {@code memberTexts} (keyed by
     * the set itself) and adding what it builds. A poll's cursors share one such map: a room's
     * positions share one immutable member set until a membership event, so its text is built once.
     */
    Cursor encode(Map<SortedSet<String>, String> memberTexts) {
        StringBuilder sb = new StringBuilder();
        sb.append("self ").append(token(self)).append('\n');
        sb.append("inbox ").append(idToken(inboxAfter)).append('\n');
        for (Map.Entry<String, RoomPosition> e : rooms.entrySet()) {
            RoomPosition p = e.getValue();
            sb.append("room ").append(token(e.getKey())).append(' ').append(idToken(p.afterId())).append(' ')
                    .append(p.skip()).append(memberTexts.computeIfAbsent(p.members(), XmppCursor::membersText))
                    .append('\n');
        }
        return new Cursor(PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Parses a cursor of this transport; anything else is a non-retryable error. */
    static XmppCursor decode(Cursor cursor) throws TransportException {
        String v = cursor.value();
        if (!v.startsWith(PREFIX) || v.length() > MAX_ENCODED) {
            throw new TransportException("not a cursor of the XMPP transport", false);
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(v.substring(PREFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TransportException("malformed XMPP cursor", false);
        }
        String self = null;
        String inbox = null;
        SortedMap<String, RoomPosition> rooms = new TreeMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ", -1);
            try {
                switch (f[0]) {
                    case "self" -> {
                        require(f.length == 2 && self == null);
                        self = f[1];
                    }
                    case "inbox" -> {
                        require(f.length == 2 && inbox == null);
                        inbox = id(f[1]);
                    }
                    case "room" -> {
                        require(f.length >= 4 && !rooms.containsKey(f[1]));
                        int skip = Integer.parseInt(f[3]);
                        require(skip >= 0);
                        SortedSet<String> members = new TreeSet<>();
                        for (int i = 4; i < f.length; i++) {
                            require(!f[i].isEmpty());
                            members.add(f[i]);
                        }
                        rooms.put(f[1], new RoomPosition(id(f[2]), skip, members));
                    }
                    default -> throw new IllegalArgumentException("unknown line");
                }
            } catch (IllegalArgumentException e) {
                throw new TransportException("malformed XMPP cursor", false);
            }
        }
        if (self == null || inbox == null) {
            throw new TransportException("malformed XMPP cursor", false);
        }
        return new XmppCursor(self, inbox, rooms);
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("malformed");
        }
    }

    private static String id(String token) {
        return token.equals(NONE) ? "" : token;
    }

    /** The members part of a room line: each member after a space. */
    private static String membersText(SortedSet<String> members) {
        StringBuilder sb = new StringBuilder();
        for (String m : members) {
            sb.append(' ').append(token(m));
        }
        return sb.toString();
    }

    private static String idToken(String id) {
        return id.isEmpty() ? NONE : token(id);
    }

    private static String token(String s) {
        boolean ok = !s.isEmpty() && !s.equals(NONE);
        for (int i = 0; ok && i < s.length(); i++) {
            ok = s.charAt(i) > ' '; // a space or control character would break the line format
        }
        if (!ok) {
            throw new IllegalStateException("cannot put into a cursor: '" + s + "'");
        }
        return s;
    }
}
