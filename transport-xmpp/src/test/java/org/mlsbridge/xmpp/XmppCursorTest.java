package org.mlsbridge.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.xmpp.room.RoomPosition;

class XmppCursorTest {
    private static Cursor raw(String text) {
        return new Cursor(XmppCursor.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void roundTrips() throws Exception {
        XmppCursor c = XmppCursor.start("alice@example.org").withInbox("abc-1")
                .withRoom("r@muc.example.org", new RoomPosition("id-7", 2,
                        new TreeSet<>(Set.of("xmpp:alice@example.org", "xmpp:bob@example.org"))))
                .withRoom("s@muc.example.org", RoomPosition.start());
        assertThat(XmppCursor.decode(c.encode())).isEqualTo(c);
        assertThat(XmppCursor.decode(XmppCursor.start("a@b").encode())).isEqualTo(XmppCursor.start("a@b"));
    }

    @Test
    void anythingElseIsRefusedNonRetryably() {
        for (Cursor bad : new Cursor[] {
            new Cursor("mem:5"), new Cursor(XmppCursor.PREFIX + "!!!"), raw(""), raw("self a@b"),
            raw("inbox -"), raw("self a@b\nself c@d\ninbox -"), raw("self a@b\ninbox -\nroom r@m - -1"),
            raw("self a@b\ninbox -\nroom r@m - x"), raw("self a@b\ninbox -\nroom r@m -"),
            raw("self a@b\ninbox -\nroom r@m - 0\nroom r@m - 0"), raw("self a@b\ninbox -\nwhat ever"),
            raw("self a@b\ninbox -\nroom r@m - 0 xmpp:a@b  xmpp:c@d"), new Cursor(XmppCursor.PREFIX + "A".repeat(2 << 20)),
        }) {
            assertThatThrownBy(() -> XmppCursor.decode(bad)).as(bad.value().length() > 60 ? "long" : bad.value())
                    .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        }
    }

    @Test
    void idsThatCannotBeEncodedAreABug() {
        XmppCursor c = XmppCursor.start("a@b").withInbox("has space");
        assertThatThrownBy(c::encode).isInstanceOf(IllegalStateException.class);
    }
}
