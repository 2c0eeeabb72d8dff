package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.xmpp.room.RoomPosition;

/** The cursor text stays as it was (stored cursors must still decode), however it is built. */
class XmppCursorEncodingTest {
    private static final String ALICE = "xmpp:alice@example.org";
    private static final String BOB = "xmpp:bob@example.org";

    private static String text(Cursor c) {
        assertThat(c.value()).startsWith(XmppCursor.PREFIX);
        return new String(Base64.getUrlDecoder().decode(c.value().substring(XmppCursor.PREFIX.length())),
                StandardCharsets.UTF_8);
    }

    private static XmppCursor sample() {
        return XmppCursor.start("alice@example.org").withInbox("in-3")
                .withRoom("s@muc.example.org", RoomPosition.start())
                .withRoom("r@muc.example.org", new RoomPosition("id-7", 2, new TreeSet<>(Set.of(BOB, ALICE))));
    }

    @Test
    void theTextIsUnchanged() {
        assertThat(text(sample().encode())).isEqualTo("""
                self alice@example.org
                inbox in-3
                room r@muc.example.org id-7 2 xmpp:alice@example.org xmpp:bob@example.org
                room s@muc.example.org - 0
                """);
        assertThat(sample().encode().value()).isEqualTo("xmpp1.c2VsZiBhbGljZUBleGFtcGxlLm9yZwppbmJveCBpbi0zCnJvb20gckBtdWMu"
                + "ZXhhbXBsZS5vcmcgaWQtNyAyIHhtcHA6YWxpY2VAZXhhbXBsZS5vcmcgeG1wcDpib2JAZXhhbXBsZS5vcmcKcm9vbSBzQG11Yy5leGFt"
                + "cGxlLm9yZyAtIDAK");
    }

    @Test
    void aPollsSuccessiveCursorsEncodeAsEachAlone() throws Exception {
        Map<SortedSet<String>, String> memberTexts = new IdentityHashMap<>();
        XmppCursor c = sample();
        RoomPosition p = c.room("r@muc.example.org");
        for (int i = 0; i < 5; i++) {
            // the member set is handed on unchanged, as RoomLog does between membership events
            p = new RoomPosition("id-" + (8 + i), 0, i == 3 ? new TreeSet<>(Set.of(BOB)) : p.members());
            c = c.withRoom("r@muc.example.org", p);
            Cursor encoded = c.encode(memberTexts);
            assertThat(encoded).isEqualTo(c.encode());
            assertThat(XmppCursor.decode(encoded)).isEqualTo(c);
        }
        assertThat(text(c.encode())).contains("room r@muc.example.org id-12 0 xmpp:bob@example.org\n");
    }

    @Test
    void aCursorCannotBeChangedThroughItsParts() {
        SortedMap<String, RoomPosition> rooms = new TreeMap<>();
        rooms.put("r@m", RoomPosition.start());
        XmppCursor c = new XmppCursor("a@b", "", rooms);
        rooms.put("s@m", RoomPosition.start());
        assertThat(c.rooms()).containsOnlyKeys("r@m");
        XmppCursor next = c.withRoom("s@m", RoomPosition.start());
        assertThat(c.rooms()).containsOnlyKeys("r@m");
        assertThat(next.rooms()).containsOnlyKeys("r@m", "s@m");
        assertThatThrownBy(() -> next.rooms().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMemberThatCannotBeEncodedIsABugEvenWhenItsSetWasEncodedBefore() {
        XmppCursor c = XmppCursor.start("a@b").withRoom("r@m", new RoomPosition("x", 0, new TreeSet<>(Set.of("bad name"))));
        Map<SortedSet<String>, String> memberTexts = new IdentityHashMap<>();
        assertThatThrownBy(() -> c.encode(memberTexts)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.encode(memberTexts)).isInstanceOf(IllegalStateException.class);
    }
}
