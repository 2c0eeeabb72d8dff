package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/** Identifiers, event content and cursors, without a server. */
class WireFormatTest {
    @Test
    void userIdsMapToCanonicalMatrixUris() {
        assertThat(MatrixIds.user("@alice:example.org")).isEqualTo(new UserId("matrix:u/alice:example.org"));
        assertThat(MatrixIds.user("@a/b:example.org:8448")).isEqualTo(new UserId("matrix:u/a%2Fb:example.org:8448"));
        assertThat(MatrixIds.matrixUserId(new UserId("matrix:u/a%2Fb:example.org:8448"))).contains("@a/b:example.org:8448");
        for (String bad : List.of("matrix:u/alice", "matrix:u/a%2fb:example.org", "matrix:u/a/b:example.org",
                "matrix:r/room:example.org", "xmpp:alice@example.org", "matrix:u/:example.org",
                "matrix:u/alice:exa mple.org", "matrix:u/alice:example.org:99999", "matrix:u/alice:[::1")) {
            assertThat(matrixUserIdOf(bad)).as(bad).isEmpty();
        }
        assertThat(MatrixIds.user("@a@b?c:hs")).isEqualTo(new UserId("matrix:u/a%40b%3Fc:hs"));
        assertThat(matrixUserIdOf("matrix:u/a%40b%3Fc:hs")).contains("@a@b?c:hs");
        assertThat(MatrixIds.isUserId("@alice:[::1]:8448")).isTrue();
        assertThat(MatrixIds.isUserId("@" + "a".repeat(260) + ":hs")).isFalse();
        assertThat(MatrixIds.isRoomId("!abc:localhost")).isTrue();
        assertThat(MatrixIds.isRoomId("#alias:localhost")).isFalse();
    }

    /** The Matrix user id of a URI, empty if UserId or MatrixIds refuses it. */
    private static java.util.Optional<String> matrixUserIdOf(String uri) {
        try {
            return MatrixIds.matrixUserId(new UserId(uri));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Test
    void roomEventContentIsStrictBase64WithinTheEventLimit() throws Exception {
        Bytes p = Bytes.of(new byte[] {0, 1, 2, (byte) 0xff});
        JsonObject c = MlsContent.roomContent(p);
        assertThat(c.encode()).isEqualTo("{\"mls\":\"AAEC/w==\"}");
        assertThat(MlsContent.parseRoomContent(c)).isEqualTo(p);
        for (Object bad : List.of("x", new JsonObject(), new JsonObject().put("mls", 1),
                new JsonObject().put("mls", "AAEC/w"), new JsonObject().put("mls", "AAEC/x=="),
                new JsonObject().put("mls", "AAEC-w=="), new JsonObject().put("mls", " AAEC/w=="),
                new JsonObject().put("mls", ""))) {
            assertThatThrownBy(() -> MlsContent.parseRoomContent(bad)).as(String.valueOf(bad))
                    .isInstanceOf(MlsContent.MalformedContentException.class);
        }
        // the limit: the largest payload fits the content budget exactly enough, one more byte does not
        assertThat(MlsContent.roomContent(Bytes.wrap(new byte[MlsContent.MAX_PAYLOAD_BYTES])).encode().length())
                .isLessThanOrEqualTo(MlsContent.MAX_CONTENT_BYTES);
        assertThatThrownBy(() -> MlsContent.roomContent(Bytes.wrap(new byte[MlsContent.MAX_PAYLOAD_BYTES + 1])))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void eventsMapOnlyFromServerSetFields() {
        RoomId room = new RoomId("!r:hs");
        JsonObject msg = new JsonObject().put("type", MlsContent.ROOM_EVENT).put("sender", "@bob:hs")
                .put("event_id", "$e1").put("content", new JsonObject().put("mls", "AQID").put("sender", "@alice:hs"));
        assertThat(EventMapper.roomEvent(room, msg).event()).contains(new RoomEvent.RoomMessage(room,
                MatrixIds.user("@bob:hs"), new ServerId("$e1"), Bytes.of(new byte[] {1, 2, 3})));
        assertThat(EventMapper.roomEvent(room, msg.copy().put("state_key", "")).malformed()).isNotNull();
        assertThat(EventMapper.roomEvent(room, msg.copy().put("sender", "bob")).malformed()).isNotNull();
        assertThat(EventMapper.roomEvent(room, msg.copy().put("type", "m.room.message")).event()).isEmpty();

        JsonObject join = member("@carol:hs", "join", null);
        assertThat(EventMapper.roomEvent(room, join).event())
                .contains(new RoomEvent.MemberJoined(room, MatrixIds.user("@carol:hs")));
        assertThat(EventMapper.roomEvent(room, member("@carol:hs", "join", "join")).event()).isEmpty(); // profile
        assertThat(EventMapper.roomEvent(room, member("@carol:hs", "leave", "join")).event())
                .contains(new RoomEvent.MemberLeft(room, MatrixIds.user("@carol:hs")));
        assertThat(EventMapper.roomEvent(room, member("@carol:hs", "leave", "invite")).event()).isEmpty();
        assertThat(EventMapper.roomEvent(room, member("@carol:hs", "ban", "join")).event())
                .contains(new RoomEvent.MemberBanned(room, MatrixIds.user("@carol:hs")));
        assertThat(EventMapper.roomEvent(room, member("@carol:hs", "invite", null)).event()).isEmpty();
        assertThat(EventMapper.roomEvent(room, member("nobody", "join", null)).malformed()).isNotNull();
    }

    @Test
    void plainTextIsAnMTextBodyAndEverythingElseOfItsTypeIsNothingOrMalformed() throws Exception {
        RoomId room = new RoomId("!r:hs");
        JsonObject text = new JsonObject().put("type", "m.room.message").put("sender", "@lee:hs").put("event_id", "$t")
                .put("content", new JsonObject().put("msgtype", "m.text").put("body", "hello\nthere"));
        assertThat(EventMapper.roomEvent(room, text).event()).contains(new RoomEvent.PlainMessage(room,
                MatrixIds.user("@lee:hs"), new ServerId("$t"), "hello\nthere"));
        // a bot's notice (our own posts included), other msgtypes and a redacted event are not input
        for (JsonObject content : List.of(new JsonObject().put("msgtype", "m.notice").put("body", "x"),
                new JsonObject().put("msgtype", "m.image").put("body", "x"), new JsonObject())) {
            EventMapper.Mapped m = EventMapper.roomEvent(room, text.copy().put("content", content));
            assertThat(m.event()).as(content.encode()).isEmpty();
            assertThat(m.malformed()).as(content.encode()).isNull();
        }
        // wrong JSON types, a state event and a huge body are malformed: dropped and counted
        for (Object content : List.of("a string", new JsonArray(), new JsonObject().put("msgtype", 7).put("body", "x"),
                new JsonObject().put("msgtype", "m.text").put("body", new JsonArray().add("x")),
                new JsonObject().put("msgtype", "m.text"),
                new JsonObject().put("msgtype", "m.text").put("body", "z".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES + 1)))) {
            assertThat(EventMapper.roomEvent(room, text.copy().put("content", content)).malformed()).as(String.valueOf(content))
                    .isNotNull();
        }
        assertThat(EventMapper.roomEvent(room, text.copy().put("state_key", "")).malformed()).isNotNull();
        assertThat(EventMapper.roomEvent(room, text.copy().put("sender", 5)).malformed()).isNotNull();

        assertThat(PlainContent.notice("hi")).isEqualTo(new JsonObject().put("msgtype", "m.notice").put("body", "hi"));
        assertThatThrownBy(() -> PlainContent.notice("é".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES / 2 + 1)))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
    }

    private static JsonObject member(String user, String membership, String previous) {
        JsonObject e = new JsonObject().put("type", "m.room.member").put("sender", "@owner:hs").put("event_id", "$m")
                .put("state_key", user).put("content", new JsonObject().put("membership", membership));
        if (previous != null) {
            e.put("unsigned", new JsonObject().put("prev_content", new JsonObject().put("membership", previous)));
        }
        return e;
    }

    @Test
    void welcomesNeedBytesAndARoomAndGetAStableId() {
        JsonObject w = new JsonObject().put("type", MlsContent.WELCOME_EVENT).put("sender", "@alice:hs")
                .put("content", new JsonObject().put("mls", "AQID").put("room_id", "!r:hs"));
        RoomEvent.WelcomeReceived got = (RoomEvent.WelcomeReceived) EventMapper.toDeviceEvent(w).event().orElseThrow();
        assertThat(got.room()).isEqualTo(new RoomId("!r:hs"));
        RoomEvent.WelcomeReceived again = (RoomEvent.WelcomeReceived) EventMapper.toDeviceEvent(w.copy()).event()
                .orElseThrow();
        assertThat(again.serverId()).isEqualTo(got.serverId());
        assertThat(got.serverId().value()).startsWith("welcome:@alice:hs:");
        assertThat(EventMapper.toDeviceEvent(w.copy().put("content", new JsonObject().put("mls", "AQID"))).malformed())
                .isNotNull();
    }

    @Test
    void cursorsRoundTripAndRefuseOthers() throws Exception {
        SyncCursor c = new SyncCursor("@a:hs", "s1_2", Map.of("!r:hs", 3, SyncCursor.TO_DEVICE, 1));
        assertThat(SyncCursor.decode(c.encode(), "@a:hs")).isEqualTo(c);
        assertThatThrownBy(() -> SyncCursor.decode(c.encode(), "@b:hs")).isInstanceOf(TransportException.class);
        // a cursor of the filter without plain messages: its batch again, room counts from zero, none skipped
        String before = "mx1." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"u\":\"@a:hs\",\"s\":\"s1_2\",\"c\":{\"!r:hs\":3,\"to_device\":1}}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
        assertThat(SyncCursor.decode(new Cursor(before), "@a:hs"))
                .isEqualTo(new SyncCursor("@a:hs", "s1_2", Map.of(SyncCursor.TO_DEVICE, 1)));
        for (String bad : List.of("mem:1", "mx1.", "mx1.e30", "mx1.eyJ1IjoiQGE6aHMiLCJzIjoiIiwiYyI6eyJ4IjotMX19",
                "mx2.", "mx2.e30")) {
            assertThatThrownBy(() -> SyncCursor.decode(new Cursor(bad), "@a:hs")).as(bad)
                    .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isFalse());
        }
    }
}
