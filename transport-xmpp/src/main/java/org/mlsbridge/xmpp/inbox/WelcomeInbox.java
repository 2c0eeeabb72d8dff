package org.mlsbridge.xmpp.inbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jivesoftware.smack.packet.Message;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.XmppIds;
import org.mlsbridge.xmpp.mam.Archive;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.stanza.MlsStanzas;

/**
 * Welcomes addressed to this user, read from the user's own archive (XEP-0313), which holds them
 * whether they arrived live or from offline storage, each under one archive id. A live Welcome only
 * marks the inbox stale; the next poll reads the archive after the newest id it knows. Also
 * remembers the origin-ids of Welcomes this user sent, for idempotent re-sends.
 */
public final class WelcomeInbox {
    /** A Welcome and its archive id. */
    public record Entry(String id, RoomEvent.WelcomeReceived event) {
    }

    private final Archive archive;
    private final EntityBareJid self;
    private final XmppCounters counters;
    private final int maxPayloadBytes;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private Optional<String> loadedAfter = Optional.empty();
    private String newest = "";
    /** Live arrivals counted, and how many of them the last archive query covered. */
    private long arrivals = 1;
    private long covered;
    private final Set<String> sentOriginIds = new HashSet<>();
    private boolean sentChecked;

    public WelcomeInbox(Archive archive, EntityBareJid self, XmppCounters counters, int maxPayloadBytes) {
        this.archive = archive;
        this.self = self;
        this.counters = counters;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** A Welcome (or something claiming to be one) arrived live or from offline storage. */
    public synchronized void markStale() {
        arrivals++;
    }

    /** After a new session: offline storage may have delivered, and our sends must be looked up again. */
    public synchronized void reset() {
        arrivals++;
        sentChecked = false;
    }

    /** Welcomes after archive id {@code afterId} (empty: from the start), at most {@code max}. */
    public List<Entry> after(String afterId, int max) throws TransportException {
        boolean load;
        boolean refresh;
        String refreshAfter;
        long arrivalsBefore;
        synchronized (this) {
            load = !(loadedAfter.isPresent() && loadedAfter.get().equals(afterId)) && !ids.contains(afterId);
            refresh = arrivals != covered && !load;
            refreshAfter = newest;
            // A Welcome arriving while we query is not covered by this query: counted before it.
            arrivalsBefore = arrivals;
        }
        if (load) {
            List<Archived> got = archive.after(afterId);
            synchronized (this) {
                entries.clear();
                ids.clear();
                loadedAfter = Optional.of(afterId);
                newest = afterId;
                covered = arrivalsBefore;
                addAll(got);
            }
        } else if (refresh) {
            List<Archived> got = archive.after(refreshAfter);
            synchronized (this) {
                covered = arrivalsBefore;
                addAll(got);
            }
        }
        synchronized (this) {
            int start = 0;
            if (!(loadedAfter.isPresent() && loadedAfter.get().equals(afterId))) {
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i).id().equals(afterId)) {
                        start = i + 1;
                        break;
                    }
                }
            }
            return List.copyOf(entries.subList(start, Math.min(entries.size(), start + max)));
        }
    }

    private void addAll(List<Archived> got) {
        for (Archived a : got) {
            if (!usableId(a.id())) {
                counters.dropped("archive id unusable");
                continue;
            }
            newest = a.id();
            if (ids.contains(a.id())) {
                continue;
            }
            ids.add(a.id());
            welcome(a).ifPresent(entries::add);
        }
    }

    private Optional<Entry> welcome(Archived a) {
        Message m = a.message();
        Jid from = m.getFrom();
        if (from != null && from.asBareJid().equals(self)) {
            MlsStanzas.originId(m).ifPresent(sentOriginIds::add); // our own sent Welcome
            return Optional.empty();
        }
        MlsStanzas.WelcomeContent w = MlsStanzas.welcomePayload(m, maxPayloadBytes);
        return switch (w.content()) {
            case MlsStanzas.Content.None none -> Optional.empty();
            case MlsStanzas.Content.Malformed bad -> {
                counters.dropped("malformed welcome: " + bad.reason());
                yield Optional.empty();
            }
            case MlsStanzas.Content.Payload p -> {
                Optional<UserId> sender = from == null || from.asEntityBareJidIfPossible() == null ? Optional.empty()
                        : XmppIds.userIfValid(from.asBareJid());
                if (sender.isEmpty()) {
                    counters.dropped("welcome without a sender");
                    yield Optional.empty();
                }
                RoomId room;
                try {
                    room = XmppIds.room(XmppIds.room(new RoomId(w.room())));
                } catch (TransportException | IllegalArgumentException e) {
                    counters.dropped("welcome names no valid room");
                    yield Optional.empty();
                }
                yield Optional.of(new Entry(a.id(), new RoomEvent.WelcomeReceived(room,
                        sender.get(), new ServerId(a.id()), p.bytes())));
            }
        };
    }

    /** Ids go into cursors: printable ASCII without spaces, bounded. */
    static boolean usableId(String id) {
        return !id.isEmpty() && id.length() <= 200 && !id.equals("-") && id.chars().allMatch(c -> c > ' ' && c < 127);
    }

    /** Whether we already sent a Welcome with this origin-id (looked up in our archive once per session). */
    public boolean alreadySent(String originId) throws TransportException {
        synchronized (this) {
            if (sentOriginIds.contains(originId) || sentChecked) {
                return sentOriginIds.contains(originId);
            }
        }
        List<Archived> recent = archive.newest(Archive.PAGE * 4);
        synchronized (this) {
            for (Archived a : recent) {
                Jid from = a.message().getFrom();
                if (from != null && from.asBareJid().equals(self)) {
                    MlsStanzas.originId(a.message()).ifPresent(sentOriginIds::add);
                }
            }
            sentChecked = true;
            return sentOriginIds.contains(originId);
        }
    }

    public synchronized void recordSent(String originId) {
        sentOriginIds.add(originId);
    }
}
