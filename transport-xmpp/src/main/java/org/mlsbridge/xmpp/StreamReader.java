package org.mlsbridge.xmpp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.jivesoftware.smack.XMPPConnection;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.xmpp.inbox.WelcomeInbox;
import org.mlsbridge.xmpp.mam.Archive;
import org.mlsbridge.xmpp.mam.ArchiveRefusedException;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.room.RoomLog;
import org.mlsbridge.xmpp.room.RoomPosition;

/**
 * The user's stream after a cursor: Welcomes from the inbox, then each followed room's events.
 * There is no order across rooms or for Welcomes, so each part is read in turn; each delivery's
 * cursor advances only its own part.
 */
final class StreamReader {
    private final XMPPConnection connection;
    private final WelcomeInbox inbox;
    private final Collection<RoomLog> rooms;
    /**
     * The cursor of the last delivery handed out, decoded: a reader's next poll nearly always
     * starts there, and decoding the text again costs more than the poll's own work.
     */
    private volatile Handed lastHanded;

    private record Handed(Cursor encoded, XmppCursor decoded) {
    }

    StreamReader(XMPPConnection connection, WelcomeInbox inbox, Collection<RoomLog> rooms) {
        this.connection = connection;
        this.inbox = inbox;
        this.rooms = rooms;
    }

    /** {@code cursor} decoded, without decoding it again if it is the last one handed out. */
    XmppCursor decode(Cursor cursor) throws TransportException {
        Handed h = lastHanded;
        return h != null && h.encoded().equals(cursor) ? h.decoded() : XmppCursor.decode(cursor);
    }

    List<Delivery> after(XmppCursor start, int max) throws TransportException {
        List<Delivery> out = new ArrayList<>();
        XmppCursor cur = start;
        // each delivery carries the whole cursor; a room's members are encoded once per poll
        Map<SortedSet<String>, String> memberTexts = new IdentityHashMap<>();
        for (WelcomeInbox.Entry e : inbox.after(start.inboxAfter(), max)) {
            cur = cur.withInbox(e.id());
            out.add(new Delivery(e.event(), cur.encode(memberTexts)));
        }
        for (RoomLog log : rooms) {
            if (out.size() >= max) {
                break;
            }
            if (!log.live()) {
                continue; // (re)joining: its events come once the gap is filled
            }
            String key = log.jid().toString();
            for (RoomLog.Step s : steps(log, cur.room(key), max - out.size())) {
                cur = cur.withRoom(key, s.after());
                out.add(new Delivery(s.event(), cur.encode(memberTexts)));
            }
        }
        if (!out.isEmpty()) {
            lastHanded = new Handed(out.get(out.size() - 1).cursor(), cur);
        }
        return out;
    }

    /** The room's events after {@code p}, reading the archive first if {@code p} is older than the log. */
    private List<RoomLog.Step> steps(RoomLog log, RoomPosition p, int max) throws TransportException {
        try {
            return log.after(p, max);
        } catch (RoomLog.NeedsHistory needs) {
            List<Archived> history;
            try {
                history = new Archive(connection, log.jid()).after(p.afterId());
            } catch (ArchiveRefusedException refused) {
                // No longer a member: nothing before what we saw live is ours to read.
                history = List.of();
            }
            log.installHistory(p, history);
            try {
                return log.after(p, max);
            } catch (RoomLog.NeedsHistory again) {
                throw new TransportException("cursor position not found in " + log.jid(), false);
            }
        }
    }
}
