package org.mlsbridge.xmpp.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.transport.Notifier;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.stanza.MlsProviders;

/** RoomLog without a server: stanzas as a MUC sends them, fed in stream order. */
class RoomLogTest {
    private static final String ROOM = "r@muc.example";
    private static final RoomId ROOM_ID = new RoomId(ROOM);
    private static final UserId ALICE = new UserId("xmpp:alice@example");
    private static final UserId BOB = new UserId("xmpp:bob@example");
    private static final UserId CAROL = new UserId("xmpp:carol@example");
    private final XmppCounters counters = new XmppCounters();
    private RoomLog log;

    @BeforeEach
    void setUp() throws Exception {
        MlsProviders.register();
        log = newLog(1000);
    }

    private RoomLog newLog(int keep) throws Exception {
        return new RoomLog(ROOM_ID, JidCreate.entityBareFrom(ROOM), ALICE, counters, new Notifier(), 1024, keep);
    }

    private static Stanza parse(String xml) throws Exception {
        return PacketParserUtils.parseStanza(xml);
    }

    private static String presence(String nick, String jid, String affiliation, String type, String... statuses) {
        StringBuilder st = new StringBuilder();
        for (String s : statuses) {
            st.append("<status code='").append(s).append("'/>");
        }
        return "<presence xmlns='jabber:client' from='" + ROOM + "/" + nick + "'" + (type == null ? "" : " type='" + type + "'")
                + "><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='" + affiliation + "' role='participant' jid='"
                + jid + "/res'/>" + st + "</x></presence>";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String groupchat(String nick, String id, String text, String extra) {
        return "<message xmlns='jabber:client' type='groupchat' from='" + ROOM + "/" + nick + "' id='o" + id + "'>"
                + "<body>fallback</body><mls xmlns='urn:mlsbridge:mls:0'>" + b64(text) + "</mls>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='o" + id + "'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' by='" + ROOM + "' id='" + id + "'/>" + extra + "</message>";
    }

    private static Archived archived(String id, String realJid, String text) throws Exception {
        Message m = (Message) parse("<message xmlns='jabber:client' type='groupchat' from='" + ROOM + "/x'>"
                + "<mls xmlns='urn:mlsbridge:mls:0'>" + b64(text) + "</mls>"
                + "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='" + realJid + "'/></x></message>");
        return new Archived(id, m);
    }

    private void joinAsAliceWithBobPresent() throws Exception {
        log.startJoin();
        log.onStanza(parse(presence("bob", "bob@example", "member", null)));
        log.onStanza(parse(presence("alice", "alice@example", "owner", null, "110")));
        log.finishJoin(Set.of(ALICE, BOB), List.of(), "");
    }

    private static List<RoomEvent> events(List<RoomLog.Step> steps) {
        return steps.stream().map(RoomLog.Step::event).toList();
    }

    private static String text(RoomEvent e) {
        return new String(((RoomEvent.RoomMessage) e).payload().toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void messagesAndMembershipComeInStreamOrderWithResumablePositions() throws Exception {
        joinAsAliceWithBobPresent();
        log.installHistory(RoomPosition.start(), List.of());
        log.onStanza(parse(groupchat("bob", "s1", "one", "")));
        // carol is granted membership while not in the room: a notice from the room's bare JID
        log.onStanza(parse("<message xmlns='jabber:client' from='" + ROOM + "'><x xmlns='http://jabber.org/protocol/muc#user'>"
                + "<item affiliation='member' jid='carol@example'/></x></message>"));
        log.onStanza(parse(groupchat("alice", "s2", "two", "")));
        log.onStanza(parse(presence("bob", "bob@example", "none", "unavailable", "321")));
        List<RoomLog.Step> all = log.after(RoomPosition.start(), 100);
        assertThat(events(all)).containsExactly(
                new RoomEvent.MemberJoined(ROOM_ID, ALICE), new RoomEvent.MemberJoined(ROOM_ID, BOB),
                all.get(2).event(), new RoomEvent.MemberJoined(ROOM_ID, CAROL), all.get(4).event(),
                new RoomEvent.MemberLeft(ROOM_ID, BOB));
        assertThat(text(all.get(2).event())).isEqualTo("one");
        assertThat(((RoomEvent.RoomMessage) all.get(2).event()).sender()).isEqualTo(BOB);
        assertThat(((RoomEvent.RoomMessage) all.get(4).event()).sender()).isEqualTo(ALICE);
        assertThat(log.sent("os2")).isPresent();
        for (int i = 0; i < all.size(); i++) {
            assertThat(events(log.after(all.get(i).after(), 100))).isEqualTo(events(all.subList(i + 1, all.size())));
        }
        assertThat(all.get(all.size() - 1).after().members()).containsExactly(ALICE.value(), CAROL.value());
        assertThat(log.members()).containsExactlyInAnyOrder(ALICE, CAROL);
    }

    @Test
    void aKickIsNoMembershipEventABanIs() throws Exception {
        joinAsAliceWithBobPresent();
        log.installHistory(RoomPosition.start(), List.of());
        log.onStanza(parse(presence("bob", "bob@example", "member", "unavailable", "307")));
        log.onStanza(parse(presence("bob", "bob@example", "member", null)));
        log.onStanza(parse(presence("bob", "bob@example", "outcast", "unavailable", "301")));
        assertThat(events(log.after(RoomPosition.start(), 100))).containsExactly(
                new RoomEvent.MemberJoined(ROOM_ID, ALICE), new RoomEvent.MemberJoined(ROOM_ID, BOB),
                new RoomEvent.MemberBanned(ROOM_ID, BOB));
        assertThat(log.members()).containsExactly(ALICE);
    }

    @Test
    void forgedOrUnstampedMessagesAreDroppedAndCounted() throws Exception {
        joinAsAliceWithBobPresent();
        log.onStanza(parse(groupchat("mallory", "s1", "not an occupant", "")));
        log.onStanza(parse(groupchat("bob", "s2", "claims alice", "<x xmlns='http://jabber.org/protocol/muc#user'>"
                + "<item jid='alice@example'/></x>")));
        log.onStanza(parse(groupchat("bob", "s3", "two ids", "<stanza-id xmlns='urn:xmpp:sid:0' by='" + ROOM + "' id='x'/>")));
        log.onStanza(parse(groupchat("bob", "s4", "ok", "").replace("by='" + ROOM + "'", "by='bob@example'")));
        log.onStanza(parse("<message xmlns='jabber:client' type='groupchat' from='" + ROOM + "/bob'><body>plain</body></message>"));
        log.installHistory(RoomPosition.start(), List.of());
        assertThat(log.after(RoomPosition.start(), 100)).allMatch(s -> !(s.event() instanceof RoomEvent.RoomMessage)
                && !(s.event() instanceof RoomEvent.PlainMessage));
        // the plain one is a chat client's text, but without the room's stanza-id: dropped like the others
        assertThat(counters.droppedTotal()).isEqualTo(5);
        assertThat(counters.ignoredTotal()).isZero();
        // archived: exactly one real JID stored by the room, else dropped
        Message two = (Message) parse("<message xmlns='jabber:client' type='groupchat' from='" + ROOM + "/x'>"
                + "<mls xmlns='urn:mlsbridge:mls:0'>" + b64("x") + "</mls>"
                + "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='alice@example'/></x>"
                + "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='bob@example'/></x></message>");
        assertThat(log.fromArchive(new Archived("h1", two))).isEmpty();
        assertThat(log.fromArchive(archived("h2", "bob@example", "fine"))).isPresent();
    }

    @Test
    void aCursorBeforeOurJoinReadsTheArchiveThenTheMembershipSinceItsSnapshot() throws Exception {
        joinAsAliceWithBobPresent();
        log.onStanza(parse(groupchat("bob", "s3", "live", "")));
        RoomPosition old = new RoomPosition("s0", 0, new TreeSet<>(Set.of(ALICE.value(), CAROL.value())));
        assertThatThrownBy(() -> log.after(old, 100)).isInstanceOf(RoomLog.NeedsHistory.class);
        // the archive after s0 overlaps what we saw live (s3): the overlap is not repeated
        log.installHistory(old, List.of(archived("s1", "carol@example", "h1"), archived("s2", "alice@example", "h2"),
                archived("s3", "bob@example", "live")));
        List<RoomEvent> got = events(log.after(old, 100));
        assertThat(got).hasSize(5);
        assertThat(text(got.get(0))).isEqualTo("h1");
        assertThat(text(got.get(1))).isEqualTo("h2");
        assertThat(got.subList(2, 4)).containsExactly(new RoomEvent.MemberLeft(ROOM_ID, CAROL),
                new RoomEvent.MemberJoined(ROOM_ID, BOB));
        assertThat(text(got.get(4))).isEqualTo("live");
    }

    @Test
    void stanzasDuringARejoinComeAfterTheArchivedGapAndTheMembershipDifference() throws Exception {
        joinAsAliceWithBobPresent();
        log.onStanza(parse(groupchat("bob", "s1", "before", "")));
        log.connectionLost();
        log.startJoin();
        log.onStanza(parse(presence("alice", "alice@example", "owner", null, "110")));
        log.onStanza(parse(presence("carol", "carol@example", "member", null)));
        log.onStanza(parse(groupchat("carol", "s4", "after rejoin", "")));
        assertThat(log.gapAfter()).contains("s1");
        log.finishJoin(Set.of(ALICE, CAROL), List.of(archived("s2", "bob@example", "gap1"),
                archived("s3", "alice@example", "gap2")), "");
        log.installHistory(RoomPosition.start(), List.of());
        List<RoomEvent> got = events(log.after(RoomPosition.start(), 100));
        List<String> shape = new ArrayList<>();
        for (RoomEvent e : got) {
            shape.add(e instanceof RoomEvent.RoomMessage ? text(e) : e.toString());
        }
        assertThat(shape).containsExactly(new RoomEvent.MemberJoined(ROOM_ID, ALICE).toString(),
                new RoomEvent.MemberJoined(ROOM_ID, BOB).toString(), "before", "gap1", "gap2",
                new RoomEvent.MemberLeft(ROOM_ID, BOB).toString(), new RoomEvent.MemberJoined(ROOM_ID, CAROL).toString(),
                "after rejoin");
    }

    /**
     * A rejoin after a lost session can fail after the server took the join (the answer lost to a
     * second cut); the room's live messages then arrive before the next attempt. They must wait for
     * that attempt's archive gap: taken live, they would move the log past messages it never had,
     * and the next gap would start after them (a member that missed a commit for good).
     */
    @Test
    void aFailedRejoinKeepsHoldingLiveMessagesUntilAJoinFillsTheGap() throws Exception {
        joinAsAliceWithBobPresent();
        log.onStanza(parse(groupchat("bob", "s1", "before", "")));
        log.connectionLost();
        log.startJoin();
        log.abortJoin(); // "no answer to our join", yet the server has us in the room again
        log.onStanza(parse(presence("bob", "bob@example", "member", null)));
        log.onStanza(parse(presence("alice", "alice@example", "owner", null, "110")));
        log.onStanza(parse(groupchat("bob", "s3", "after the failed attempt", "")));
        log.installHistory(RoomPosition.start(), List.of());
        assertThat(events(log.after(RoomPosition.start(), 100))).hasSize(3); // two joins and "before"
        assertThat(log.gapAfter()).contains("s1");

        log.startJoin();
        log.onStanza(parse(presence("bob", "bob@example", "member", null)));
        log.onStanza(parse(presence("alice", "alice@example", "owner", null, "110")));
        log.finishJoin(Set.of(ALICE, BOB), List.of(archived("s2", "bob@example", "missed"),
                archived("s3", "bob@example", "after the failed attempt")), "");
        List<String> texts = new ArrayList<>();
        for (RoomEvent e : events(log.after(RoomPosition.start(), 100))) {
            if (e instanceof RoomEvent.RoomMessage) {
                texts.add(text(e));
            }
        }
        assertThat(texts).containsExactly("before", "missed", "after the failed attempt");
    }

    @Test
    void oldLiveEntriesAreTrimmedAndReadFromTheArchiveAgain() throws Exception {
        log = newLog(3);
        joinAsAliceWithBobPresent();
        log.installHistory(RoomPosition.start(), List.of());
        RoomPosition afterFirst = null;
        for (int i = 1; i <= 7; i++) {
            log.onStanza(parse(groupchat("bob", "s" + i, "m" + i, "")));
            if (i == 1) {
                List<RoomLog.Step> s = log.after(RoomPosition.start(), 100);
                afterFirst = s.get(s.size() - 1).after();
            }
        }
        RoomPosition p = afterFirst;
        assertThatThrownBy(() -> log.after(p, 100)).isInstanceOf(RoomLog.NeedsHistory.class);
        List<Archived> archive = new ArrayList<>();
        for (int i = 2; i <= 7; i++) {
            archive.add(archived("s" + i, "bob@example", "m" + i));
        }
        log.installHistory(p, archive);
        assertThat(log.after(p, 100)).extracting(s -> text(s.event()))
                .containsExactly("m2", "m3", "m4", "m5", "m6", "m7");
    }

    private static String notice(String jid, String affiliation) {
        return "<message xmlns='jabber:client' from='" + ROOM + "'><x xmlns='http://jabber.org/protocol/muc#user'>"
                + "<item affiliation='" + affiliation + "' jid='" + jid + "'/></x></message>";
    }

    /** Feeds {@code count} messages from bob, with carol granted and revoked membership in between. */
    private void feedMessagesAndMembership(int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            log.onStanza(parse(groupchat("bob", "s" + i, "m" + i, "")));
            if (i % 7 == 0) {
                log.onStanza(parse(notice("carol@example", "member")));
            } else if (i % 7 == 3) {
                log.onStanza(parse(notice("carol@example", "none")));
                log.onStanza(parse(notice("dave@example", i % 2 == 0 ? "member" : "none")));
            }
        }
    }

    /**
     * From every position of {@code all}, the log answers what followed it in {@code all}; positions
     * it no longer holds (trimmed) ask for the archive, and they all come before the ones it holds.
     *
     * @return how many positions were answered
     */
    private int assertEveryPositionResumes(List<RoomLog.Step> all) {
        int answered = 0;
        for (int i = 0; i < all.size(); i++) {
            RoomPosition p = all.get(i).after();
            try {
                List<RoomLog.Step> got = log.after(p, 10);
                assertThat(got).as("after step %d", i).isEqualTo(all.subList(i + 1, Math.min(all.size(), i + 11)));
                answered++;
            } catch (RoomLog.NeedsHistory needs) {
                assertThat(answered).as("step %d is unknown after known ones", i).isZero();
            }
        }
        return answered;
    }

    @Test
    void aLongTrimmedLogResumesFromEveryPositionItStillHolds() throws Exception {
        log = newLog(40);
        joinAsAliceWithBobPresent();
        log.installHistory(RoomPosition.start(), List.of());
        // read as a client does, never further behind than the log keeps, so nothing is missed
        List<RoomLog.Step> all = new ArrayList<>();
        RoomPosition p = RoomPosition.start();
        for (int i = 1; i <= 400; i += 20) {
            feedMessagesAndMembership(i, 20);
            List<RoomLog.Step> got;
            while (!(got = log.after(p, 7)).isEmpty()) {
                all.addAll(got);
                p = got.get(got.size() - 1).after();
            }
        }
        assertThat(all).filteredOn(s -> s.event() instanceof RoomEvent.RoomMessage).hasSize(400);
        assertThat(all.get(all.size() - 1).after().members()).isEqualTo(membersOf(log.members()));
        int answered = assertEveryPositionResumes(all);
        assertThat(answered).isBetween(40, all.size() - 400);
    }

    @Test
    void aLongHistoryBeforeTheLiveLogResumesFromEveryPosition() throws Exception {
        joinAsAliceWithBobPresent();
        feedMessagesAndMembership(300, 60);
        RoomPosition old = new RoomPosition("s0", 0, new TreeSet<>(Set.of(ALICE.value(), CAROL.value())));
        assertThatThrownBy(() -> log.after(old, 100)).isInstanceOf(RoomLog.NeedsHistory.class);
        List<Archived> archive = new ArrayList<>();
        for (int i = 1; i < 300; i++) {
            archive.add(archived("s" + i, i % 2 == 0 ? "carol@example" : "alice@example", "h" + i));
        }
        archive.add(archived("s300", "bob@example", "m300")); // where the live log starts
        log.installHistory(old, archive);
        List<RoomLog.Step> all = log.after(old, 10_000);
        assertThat(all).filteredOn(s -> s.event() instanceof RoomEvent.RoomMessage).hasSize(299 + 60);
        assertThat(text(all.get(0).event())).isEqualTo("h1");
        assertThat(assertEveryPositionResumes(all)).isEqualTo(all.size());
        assertThat(log.after(old, 10_000)).isEqualTo(all);
    }

    @Test
    void consecutivePositionsShareOneUnchangeableMemberSetUntilMembershipChanges() throws Exception {
        joinAsAliceWithBobPresent();
        log.installHistory(RoomPosition.start(), List.of());
        log.onStanza(parse(groupchat("bob", "s1", "one", "")));
        log.onStanza(parse(groupchat("bob", "s2", "two", "")));
        log.onStanza(parse(notice("carol@example", "member")));
        log.onStanza(parse(groupchat("bob", "s3", "three", "")));
        log.onStanza(parse(groupchat("bob", "s4", "four", "")));
        List<RoomLog.Step> all = log.after(RoomPosition.start(), 100);
        assertThat(all).hasSize(7);
        assertThat(all.get(3).after().members()).isSameAs(all.get(2).after().members());
        assertThat(all.get(4).after().members()).isNotEqualTo(all.get(3).after().members());
        assertThat(all.get(6).after().members()).isSameAs(all.get(5).after().members())
                .isSameAs(all.get(4).after().members());
        // resuming hands the caller's set on instead of copying it
        RoomPosition afterThree = all.get(5).after();
        assertThat(log.after(afterThree, 100).get(0).after().members()).isSameAs(afterThree.members());
        assertThatThrownBy(() -> afterThree.members().add("xmpp:mallory@example"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> afterThree.members().headSet("xmpp:z").clear())
                .isInstanceOf(UnsupportedOperationException.class);
        // a caller's own set is copied: changing it later does not move the position
        TreeSet<String> mine = new TreeSet<>(Set.of(ALICE.value()));
        RoomPosition fromMine = new RoomPosition("s1", 0, mine);
        mine.add(BOB.value());
        assertThat(fromMine.members()).containsExactly(ALICE.value());
        assertThat(new RoomPosition("s1", 0, fromMine.members()).members()).isSameAs(fromMine.members());
    }

    private static Set<String> membersOf(Set<UserId> users) {
        Set<String> out = new TreeSet<>();
        for (UserId u : users) {
            out.add(u.value());
        }
        return out;
    }
}
