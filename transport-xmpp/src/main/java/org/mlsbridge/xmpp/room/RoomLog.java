package org.mlsbridge.xmpp.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smackx.mam.element.MamElements;
import org.jivesoftware.smackx.muc.MUCAffiliation;
import org.jivesoftware.smackx.muc.packet.MUCItem;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.parts.Resourcepart;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.transport.Notifier;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.XmppIds;
import org.mlsbridge.xmpp.mam.Archived;

/**
 * One connection's view of one MUC: the room's MLS messages and membership changes in the order
 * the room sent them, each message under the room's stanza-id.
 *
 * <p>The log is {@code history} (read from the room's archive when a poll starts before what this
 * connection saw live, followed by the membership changes between that poll's cursor and our
 * join) then {@code live} (everything since we joined, and gaps after reconnects filled from the
 * archive). Membership is the affiliation: owners, admins and members belong to the room;
 * presence only maps occupant nicks to the real JIDs that authenticate senders.
 *
 * <p>Stanzas are handed in by one listener thread in stream order; while a (re)join is catching
 * up they are buffered and replayed after the archive's gap. All methods are synchronized.
 */
public final class RoomLog {
    /** A delivered event and the room position right after it. */
    public record Step(RoomEvent event, RoomPosition after) {
    }

    /** The poll must first read the archive after this position. */
    public static final class NeedsHistory extends Exception {
        NeedsHistory() {
            super(null, null, false, false);
        }
    }

    /** Live entries kept in memory at least; older ones are read from the archive again if needed. */
    public static final int DEFAULT_KEEP = 5000;

    private final RoomId room;
    private final EntityBareJid jid;
    private final int keep;
    private final UserId self;
    private final Notifier notifier;
    private final RoomMessageReader reader;

    private final List<RoomEntry> history = new ArrayList<>();
    private final List<RoomEntry> live = new ArrayList<>();
    /*
     * Message ids with where they stand, so that a poll finds its cursor without scanning the log:
     * in history its index; in live its sequence number, counted over all entries ever appended to
     * live, so that trimming only raises liveBase instead of renumbering the entries it keeps.
     */
    private final Map<String, Integer> historyIds = new HashMap<>();
    private final Map<String, Long> liveIds = new HashMap<>();
    /** The sequence number of live.get(0): how many live entries were trimmed so far. */
    private long liveBase;
    private Optional<String> historyAfter = Optional.empty();
    private final Map<String, String> ownSent = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > keep; // older sends are found in the archive, when it matters
        }
    };
    private final Map<String, CompletableFuture<ServerId>> waiting = new HashMap<>();
    private final Map<String, UserId> occupants = new HashMap<>();
    private final SortedSet<UserId> members = new TreeSet<>();
    private final SortedSet<UserId> membersAtLiveStart = new TreeSet<>();
    private boolean joinedOnce;
    private boolean buffering = true;
    /**
     * The session was lost and no rejoin has completed since: live stanzas must wait for a join's
     * archive gap, also across failed attempts (a failed attempt may still have put us back in
     * the room, whose messages then arrive before the gap is read).
     */
    private boolean gapPending;
    private final List<Stanza> buffer = new ArrayList<>();
    private String lastId = "";
    private boolean ownArchiveChecked;
    private boolean present;

    public RoomLog(RoomId room, EntityBareJid jid, UserId self, XmppCounters counters, Notifier notifier,
            int maxPayloadBytes) {
        this(room, jid, self, counters, notifier, maxPayloadBytes, DEFAULT_KEEP);
    }

    /** @param keep live entries kept in memory at least (the log is trimmed to this at twice it) */
    public RoomLog(RoomId room, EntityBareJid jid, UserId self, XmppCounters counters, Notifier notifier,
            int maxPayloadBytes, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be positive");
        }
        this.keep = keep;
        this.room = room;
        this.jid = jid;
        this.self = self;
        this.notifier = notifier;
        this.reader = new RoomMessageReader(room, jid, counters, maxPayloadBytes);
    }

    public RoomId room() {
        return room;
    }

    public EntityBareJid jid() {
        return jid;
    }

    // ---- joining ---------------------------------------------------------------------------------

    /** A (re)join starts: stanzas of the room are held back until {@link #finishJoin}. */
    public synchronized void startJoin() {
        buffering = true;
        present = false;
        buffer.clear();
        occupants.clear();
    }

    /** Whether this is a rejoin that must fill a gap from the archive, and from which id. */
    public synchronized Optional<String> gapAfter() {
        return joinedOnce ? Optional.of(lastId) : Optional.empty();
    }

    /**
     * The join completed: {@code affiliated} are the room's members now; {@code gap} the archived
     * messages we missed while away (rejoin) and {@code anchor} the archive's newest id (first join).
     */
    public synchronized void finishJoin(Set<UserId> affiliated, List<Archived> gap, String anchor) {
        if (!joinedOnce) {
            members.clear();
            members.addAll(affiliated);
            membersAtLiveStart.addAll(affiliated);
            lastId = anchor;
            joinedOnce = true;
        } else {
            for (Archived a : gap) {
                fromArchive(a).ifPresent(this::appendLive);
            }
            for (UserId u : List.copyOf(members)) {
                if (!affiliated.contains(u)) {
                    members.remove(u);
                    live.add(new RoomEntry.Membership(new RoomEvent.MemberLeft(room, u)));
                }
            }
            for (UserId u : affiliated) {
                if (members.add(u)) {
                    live.add(new RoomEntry.Membership(new RoomEvent.MemberJoined(room, u)));
                }
            }
            ownArchiveChecked = false;
        }
        gapPending = false;
        buffering = false;
        for (Stanza s : buffer) {
            handle(s);
        }
        buffer.clear();
        trim();
        notifier.signal();
    }

    /**
     * A (re)join failed: the log stays as it was. After a lost session it goes on holding live
     * stanzas back (dropping those held: the next join's gap reads them from the archive, in
     * place); otherwise it releases what was held back.
     */
    public synchronized void abortJoin() {
        if (gapPending) {
            buffer.clear();
            return;
        }
        buffering = false;
        for (Stanza st : buffer) {
            handle(st);
        }
        buffer.clear();
        notifier.signal();
    }

    /** The connection dropped without resumption: until the rejoin, nothing is known live. */
    public synchronized void connectionLost() {
        buffering = true;
        gapPending = joinedOnce;
        buffer.clear();
        occupants.clear();
        for (CompletableFuture<ServerId> f : waiting.values()) {
            f.cancel(false);
        }
        waiting.clear();
    }

    // ---- live stanzas ----------------------------------------------------------------------------

    /** A stanza from the room (any of its JIDs), in stream order. */
    public synchronized void onStanza(Stanza s) {
        if (buffering) {
            buffer.add(s);
        } else {
            handle(s);
            trim();
            notifier.signal();
        }
    }

    /**
     * Bounds memory: past twice {@code keep} live entries, the oldest are forgotten (with the
     * history before them). A cursor that points there later reads the archive again, followed by
     * the membership changes up to the start of what is kept.
     */
    private void trim() {
        if (live.size() <= 2 * keep) {
            return;
        }
        int cut = live.size() - keep;
        for (RoomEntry e : live.subList(0, cut)) {
            switch (e) {
                case RoomEntry.Msg m -> liveIds.remove(m.id());
                case RoomEntry.Membership mem -> {
                    switch (mem.event()) {
                        case RoomEvent.MemberJoined j -> membersAtLiveStart.add(j.user());
                        case RoomEvent.MemberLeft l -> membersAtLiveStart.remove(l.user());
                        case RoomEvent.MemberBanned b -> membersAtLiveStart.remove(b.user());
                        default -> {
                        }
                    }
                }
            }
        }
        live.subList(0, cut).clear();
        liveBase += cut;
        history.clear();
        historyIds.clear();
        historyAfter = Optional.empty();
    }

    private void handle(Stanza s) {
        if (s instanceof Presence p) {
            onPresence(p);
        } else if (s instanceof Message m) {
            if (m.getExtension(MamElements.MamResultExtension.QNAME) != null) {
                return; // archive results travel as messages from the room's bare JID
            }
            if (m.getType() == Message.Type.groupchat) {
                onGroupchat(m);
            } else if (m.getFrom() != null && m.getFrom().getResourceOrNull() == null) {
                onRoomNotice(m);
            }
        }
    }

    private void onGroupchat(Message m) {
        reader.live(m, occupants).ifPresent(this::appendLive);
    }

    /** An archived message of this room as a log entry, if it is a usable MLS message. */
    Optional<RoomEntry.Msg> fromArchive(Archived a) {
        return reader.archived(a);
    }

    private void appendLive(RoomEntry.Msg e) {
        if (known(e.id())) {
            return;
        }
        liveIds.put(e.id(), liveBase + live.size());
        live.add(e);
        lastId = e.id();
        noteOwn(e);
    }

    private void appendHistory(RoomEntry.Msg e) {
        if (known(e.id())) {
            return;
        }
        historyIds.put(e.id(), history.size());
        history.add(e);
        noteOwn(e);
    }

    private boolean known(String id) {
        return historyIds.containsKey(id) || liveIds.containsKey(id);
    }

    /** Our own message came back: its stanza-id answers a send waiting for it, or a re-send later. */
    private void noteOwn(RoomEntry.Msg e) {
        if (e.sender().equals(self) && e.originId().isPresent()) {
            ownSent.put(e.originId().get(), e.id());
            CompletableFuture<ServerId> f = waiting.remove(e.originId().get());
            if (f != null) {
                f.complete(new ServerId(e.id()));
            }
        }
    }

    private void onPresence(Presence p) {
        Resourcepart nick = p.getFrom() == null ? null : p.getFrom().getResourceOrNull();
        MUCUser x = MUCUser.from(p);
        if (nick == null || x == null || x.getItem() == null) {
            return;
        }
        MUCItem item = x.getItem();
        Jid real = item.getJid();
        if (x.getStatus().contains(MUCUser.Status.PRESENCE_TO_SELF_110)) {
            present = p.getType() == Presence.Type.available;
        }
        Optional<UserId> user = real == null ? Optional.empty() : XmppIds.userIfValid(real.asBareJid());
        if (p.getType() == Presence.Type.available && user.isPresent()) {
            occupants.put(nick.toString(), user.get());
        } else if (p.getType() == Presence.Type.unavailable) {
            occupants.remove(nick.toString());
        }
        if (user.isPresent() && p.getType() != Presence.Type.error) {
            apply(user.get(), item.getAffiliation());
        }
    }

    /** Affiliation changes of users not in the room come as a message from the room's bare JID. */
    private void onRoomNotice(Message m) {
        MUCUser x = MUCUser.from(m);
        if (x == null || x.getItem() == null || x.getItem().getJid() == null) {
            return;
        }
        XmppIds.userIfValid(x.getItem().getJid().asBareJid()).ifPresent(u -> apply(u, x.getItem().getAffiliation()));
    }

    private void apply(UserId user, MUCAffiliation affiliation) {
        if (affiliation == null) {
            return;
        }
        if (Affiliation.isMember(affiliation)) {
            if (members.add(user)) {
                live.add(new RoomEntry.Membership(new RoomEvent.MemberJoined(room, user)));
            }
        } else if (members.remove(user)) {
            live.add(new RoomEntry.Membership(affiliation == MUCAffiliation.outcast
                    ? new RoomEvent.MemberBanned(room, user) : new RoomEvent.MemberLeft(room, user)));
        }
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** The room's members as this connection knows them now. */
    public synchronized Set<UserId> members() {
        return Set.copyOf(members);
    }

    /**
     * Up to {@code max} events after {@code p}.
     *
     * @throws NeedsHistory the archive after {@code p.afterId()} must be read first ({@link #installHistory})
     */
    public synchronized List<Step> after(RoomPosition p, int max) throws NeedsHistory {
        int total = history.size() + live.size();
        int index = indexOf(p.afterId());
        String lastMsg = p.afterId();
        int skip = 0;
        int i = index + 1;
        while (skip < p.skip() && i < total && entry(i) instanceof RoomEntry.Membership) {
            skip++;
            i++;
        }
        // one set per stretch without membership events, shared by its positions
        MemberSet running = MemberSet.of(p.members());
        List<Step> out = new ArrayList<>();
        for (; i < total && out.size() < max; i++) {
            RoomEntry e = entry(i);
            switch (e) {
                case RoomEntry.Msg m -> {
                    lastMsg = m.id();
                    skip = 0;
                }
                case RoomEntry.Membership mem -> {
                    skip++;
                    running = switch (mem.event()) {
                        case RoomEvent.MemberJoined j -> running.with(j.user().value());
                        case RoomEvent.MemberLeft l -> running.without(l.user().value());
                        case RoomEvent.MemberBanned b -> running.without(b.user().value());
                        default -> running;
                    };
                }
            }
            out.add(new Step(e.event(), new RoomPosition(lastMsg, skip, running)));
        }
        return out;
    }

    /**
     * Installs the archive after {@code p.afterId()} as the history before our live log, followed by
     * the membership changes between {@code p}'s members and the members at our join.
     */
    public synchronized void installHistory(RoomPosition p, List<Archived> archived) {
        history.clear();
        historyIds.clear();
        for (Archived a : archived) {
            if (liveIds.containsKey(a.id())) {
                break; // from here on the live log has it, in the same order
            }
            fromArchive(a).ifPresent(this::appendHistory);
        }
        Set<UserId> before = new TreeSet<>();
        for (String u : p.members()) {
            before.add(new UserId(u));
        }
        SortedSet<UserId> atJoin = joinedOnce ? membersAtLiveStart : members;
        for (UserId u : before) {
            if (!atJoin.contains(u)) {
                history.add(new RoomEntry.Membership(new RoomEvent.MemberLeft(room, u)));
            }
        }
        for (UserId u : atJoin) {
            if (!before.contains(u)) {
                history.add(new RoomEntry.Membership(new RoomEvent.MemberJoined(room, u)));
            }
        }
        historyAfter = Optional.of(p.afterId());
    }

    private RoomEntry entry(int i) {
        return i < history.size() ? history.get(i) : live.get(i - history.size());
    }

    /**
     * The index (over history then live) of the entry a poll after {@code afterId} continues behind:
     * -1 for the start of the installed history, else the message's own index.
     */
    private int indexOf(String afterId) throws NeedsHistory {
        if (historyAfter.isPresent() && historyAfter.get().equals(afterId)) {
            return -1;
        }
        if (afterId.isEmpty()) {
            throw new NeedsHistory();
        }
        Integer inHistory = historyIds.get(afterId);
        if (inHistory != null) {
            return inHistory;
        }
        Long inLive = liveIds.get(afterId);
        if (inLive != null) {
            return history.size() + (int) (inLive - liveBase);
        }
        throw new NeedsHistory();
    }

    // ---- sending ---------------------------------------------------------------------------------

    /** The stanza-id of our message with this origin-id, if this connection has seen it. */
    public synchronized Optional<ServerId> sent(String originId) {
        return Optional.ofNullable(ownSent.get(originId)).map(ServerId::new);
    }

    /** Whether our recent messages in the archive were already looked up since the last (re)join. */
    public synchronized boolean ownArchiveChecked() {
        return ownArchiveChecked;
    }

    /** Records our messages found in the archive (their origin-ids) before re-sending anything. */
    public synchronized void recordOwnArchive(List<Archived> recent) {
        for (Archived a : recent) {
            fromArchive(a).ifPresent(e -> {
                if (e.sender().equals(self) && e.originId().isPresent()) {
                    ownSent.putIfAbsent(e.originId().get(), e.id());
                }
            });
        }
        ownArchiveChecked = true;
    }

    /** A future completed with the stanza-id when our message with {@code originId} comes back. */
    public synchronized CompletableFuture<ServerId> awaitReflection(String originId) {
        String known = ownSent.get(originId);
        if (known != null) {
            return CompletableFuture.completedFuture(new ServerId(known));
        }
        return waiting.computeIfAbsent(originId, k -> new CompletableFuture<>());
    }

    public synchronized void forget(String originId, CompletableFuture<ServerId> f) {
        waiting.remove(originId, f);
    }

    public synchronized boolean live() {
        return !buffering;
    }

    /** Whether we are an occupant (our own presence came back and no unavailable since). */
    public synchronized boolean present() {
        return present;
    }
}
