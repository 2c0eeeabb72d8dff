package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * A whole {@code /sync} answer (and the {@code /messages} pages of a limited timeline's gap) read
 * by {@link SyncReader}: a {@link SyncBatch}, or a {@link TransportException} for an answer that is
 * not a sync; every malformed event is reported (dropped and counted), never an exception. The
 * batch's deliveries carry cursors that decode, and resuming from each one gives exactly the
 * deliveries after it.
 *
 * <p>Input: the JSON of the sync answer, decoded as {@link MatrixHttp} decodes a response. Its
 * member {@code "x_pages"}, if an array, holds the answers to the gap's {@code /messages} requests
 * in order (an answer that is not an object ends the gap), so one document drives both requests.
 */
class MatrixSyncFuzzTest {
    private static final String USER = "@me:hs";

    static Stream<Arguments> seeds() {
        String mls = "{\"mls\":\"AAEDBw8f/w==\"}";
        String msg = "{\"type\":\"" + MlsContent.ROOM_EVENT + "\",\"sender\":\"@bob:hs\",\"event_id\":\"$e%d\","
                + "\"content\":" + mls + "}";
        String joinMe = "{\"type\":\"m.room.member\",\"sender\":\"@me:hs\",\"event_id\":\"$j\",\"state_key\":\"@me:hs\","
                + "\"content\":{\"membership\":\"join\"}}";
        String welcome = "{\"type\":\"" + MlsContent.WELCOME_EVENT + "\",\"sender\":\"@alice:hs\","
                + "\"content\":{\"mls\":\"AAEC\",\"room_id\":\"!r:hs\"}}";
        return Stream.of(
                arg("{\"next_batch\":\"s2\",\"to_device\":{\"events\":[" + welcome + "]},\"rooms\":{\"join\":{\"!r:hs\":"
                        + "{\"timeline\":{\"events\":[" + joinMe + "," + msg.formatted(1) + "," + msg.formatted(2)
                        + "]}}}}}"),
                arg("{\"next_batch\":\"s3\",\"rooms\":{\"join\":{\"!r:hs\":{\"timeline\":{\"limited\":true,"
                        + "\"prev_batch\":\"p1\",\"events\":[" + msg.formatted(3) + "]}}}},\"x_pages\":[{\"chunk\":["
                        + msg.formatted(2) + "," + msg.formatted(1) + "],\"end\":\"p2\"},{\"chunk\":[" + joinMe
                        + "],\"end\":\"p3\"},{\"chunk\":[]}]}"),
                arg("{\"next_batch\":\"s4\",\"rooms\":{\"leave\":{\"!r:hs\":{\"timeline\":{\"events\":["
                        + msg.formatted(5) + ",{\"type\":\"m.room.member\",\"sender\":\"@me:hs\",\"event_id\":\"$l\","
                        + "\"state_key\":\"@me:hs\",\"content\":{\"membership\":\"leave\"},"
                        + "\"unsigned\":{\"prev_content\":{\"membership\":\"join\"}}}]}}},\"join\":{\"#x:hs\":{},"
                        + "\"!q:hs\":[1,2]}}}"),
                arg("{\"next_batch\":7,\"rooms\":[]}"),
                arg("{\"next_batch\":\"s5\",\"to_device\":{\"events\":[null,1,\"x\",[],{}]},\"rooms\":{\"join\":"
                        + "{\"!r:hs\":{\"timeline\":{\"events\":{\"a\":1},\"limited\":\"true\"}}}}}"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Arguments arg(String json) {
        return Arguments.of((Object) json.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void aBatchWhoseCursorsResume(byte[] input) throws Exception {
        Object value;
        try {
            value = Json.decodeValue(Buffer.buffer(input));
        } catch (DecodeException notJson) {
            return; // MatrixHttp: no JSON body, a TransportException before the reader sees anything
        }
        if (!(value instanceof JsonObject sync)) {
            return;
        }
        List<Object> pages = sync.getValue("x_pages") instanceof JsonArray a ? a.getList() : List.of();
        int[] served = {0};
        SyncReader.Calls server = (method, path, query, body, longPoll) -> {
            if (path.endsWith("/sync")) {
                return sync;
            }
            Object page = served[0] < pages.size() ? pages.get(served[0]++) : null;
            return page instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : new JsonObject();
        };
        List<String> malformed = new ArrayList<>();
        SyncReader reader = new SyncReader(server, USER, (where, reason) -> malformed.add(reason));
        SyncBatch batch;
        try {
            batch = reader.read("s1", Duration.ZERO);
        } catch (TransportException refused) {
            return; // not a sync answer (no next_batch): the documented checked error
        }
        malformed.forEach(reason -> assertThat(reason).isNotBlank());

        SyncCursor start = SyncCursor.start(USER).withSince("s1");
        List<Delivery> all = batch.deliveriesAfter(start, Integer.MAX_VALUE);
        for (int i = 0; i < all.size(); i++) {
            Delivery d = all.get(i);
            MatrixEventFuzzTest.check(EventMapper.Mapped.of(d.event()));
            SyncCursor after = SyncCursor.decode(d.cursor(), USER);
            assertThat(batch.beyondEnd(after)).isEmpty();
            if (i == all.size() - 1) {
                // nothing deliverable follows: the cursor is the next batch's start
                assertThat(after).isEqualTo(new SyncCursor(USER, batch.next(), Map.of()));
            } else {
                assertThat(after.since()).isEqualTo(batch.since());
                assertThat(batch.deliveriesAfter(after, Integer.MAX_VALUE)).isEqualTo(all.subList(i + 1, all.size()));
            }
        }
    }
}
