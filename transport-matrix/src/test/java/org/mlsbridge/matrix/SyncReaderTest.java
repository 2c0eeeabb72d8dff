package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.mls.codec.Bytes;

/** A sync whose events have the wrong JSON types: each one a counted drop, the good event still delivered. */
class SyncReaderTest {
    private static final String ROOM = "!r:hs";

    private static JsonObject message(String id, Object content) {
        return new JsonObject().put("type", MlsContent.ROOM_EVENT).put("sender", "@bob:hs").put("event_id", id)
                .put("content", content);
    }

    @Test
    void eventsWithWrongJsonTypesAreCountedDropsAndTheGoodOneIsDelivered() throws Exception {
        JsonArray timeline = new JsonArray()
                .add(new JsonObject().put("type", 123))
                .add(message("$1", new JsonObject().put("mls", "AQID")).put("sender", new JsonArray().add("@bob:hs")))
                .add(message("$2", new JsonObject().put("mls", "AQID")).put("event_id", 5))
                .add(message("$3", "AQID"))
                .add(message("$4", new JsonObject().put("mls", 12)))
                .add(message("$5", new JsonObject().put("mls", new JsonObject().put("mls", "AQID"))))
                .add(message("$6", new JsonObject().put("mls", "A".repeat(200_000))))
                .add(message("$7", new JsonObject().put("mls", new java.math.BigInteger("9".repeat(400)))))
                .add(new JsonObject().put("type", EventMapper.MEMBER_EVENT).put("sender", "@bob:hs").put("event_id", "$8")
                        .put("state_key", 7).put("content", new JsonObject().put("membership", "join")))
                .add("not an object")
                .add(message("$good", new JsonObject().put("mls", "AQID")));
        JsonObject sync = new JsonObject().put("next_batch", "s2")
                .put("to_device", new JsonObject().put("events", new JsonArray().addNull()
                        .add(new JsonObject().put("type", MlsContent.WELCOME_EVENT).put("sender", "@alice:hs")
                                .put("content", new JsonArray()))))
                .put("rooms", new JsonObject().put("join", new JsonObject()
                        .put(ROOM, new JsonObject().put("timeline", new JsonObject().put("events", timeline)))
                        .put("!wrong:hs", "not a room")));
        List<String> dropped = new ArrayList<>();
        SyncReader reader = new SyncReader((method, path, query, body, wait) -> sync, "@me:hs",
                (where, reason) -> dropped.add(reason));

        SyncBatch batch = reader.read("s1", Duration.ZERO);

        assertThat(dropped).hasSize(13).allSatisfy(reason -> assertThat(reason).isNotBlank())
                .contains("event without a type", "sender is not a user id", "event_id is not an event id",
                        "content is not a JSON object", "mls is not a string", "to-device event without a type");
        List<Delivery> delivered = batch.deliveriesAfter(SyncCursor.start("@me:hs").withSince("s1"), 100);
        assertThat(delivered).extracting(Delivery::event).containsExactly(new RoomEvent.RoomMessage(new RoomId(ROOM),
                MatrixIds.user("@bob:hs"), new ServerId("$good"), Bytes.of(new byte[] {1, 2, 3})));
    }
}
