package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Matrix event mapping ({@link EventMapper}, {@link MlsContent}) on any JSON the homeserver may
 * send: every event gives a room event with a payload within the limit, nothing (not ours), or a
 * malformed reason (dropped and counted by the reader); a claimed key value gives a KeyPackage or a
 * {@link MlsContent.MalformedContentException}; a {@code /keys/query} answer gives at most 16
 * valid MLS device ids in order, a {@code /keys/claim} answer KeyPackages only of the devices
 * asked ({@link KeyPackageDirectory}), each thing left out with a reason. Never another
 * exception: wrong JSON types, huge numbers and strings included.
 *
 * <p>Input: a mode byte, then the bytes of a JSON value, decoded as {@link MatrixHttp} decodes a
 * response (Vert.x/Jackson with its nesting, number and string limits). Mode 0: a room timeline
 * event; 1: a to-device event; 2: a claimed one-time-key value; 3: a {@code /keys/query} answer
 * about {@code @bob:hs}; 4: a {@code /keys/claim} answer for bob's devices {@code A} and {@code B}.
 */
class MatrixEventFuzzTest {
    private static final RoomId ROOM = new RoomId("!room:hs");
    private static final String BOB = "@bob:hs";

    static Stream<Arguments> seeds() {
        String mls = "\"AAEDBw8f/w==\"";
        return Stream.of(
                arg(0, "{\"type\":\"" + MlsContent.ROOM_EVENT + "\",\"sender\":\"@bob:hs\",\"event_id\":\"$e1\","
                        + "\"origin_server_ts\":1,\"content\":{\"mls\":" + mls + "}}"),
                arg(0, "{\"type\":\"m.room.member\",\"sender\":\"@bob:hs\",\"event_id\":\"$m1\",\"state_key\":\"@bob:hs\","
                        + "\"content\":{\"membership\":\"join\"},\"unsigned\":{\"prev_content\":{\"membership\":\"invite\"}}}"),
                arg(0, "{\"type\":\"m.room.member\",\"sender\":\"@admin:hs\",\"event_id\":\"$m2\",\"state_key\":\"@bob:hs\","
                        + "\"content\":{\"membership\":\"ban\"},\"unsigned\":{\"prev_content\":{\"membership\":\"join\"}}}"),
                arg(0, "{\"type\":\"" + MlsContent.ROOM_EVENT + "\",\"sender\":[\"@bob:hs\"],\"event_id\":1e999,"
                        + "\"content\":{\"mls\":123456789012345678901234567890}}"),
                arg(0, "{\"type\":\"" + MlsContent.ROOM_EVENT + "\",\"sender\":\"@bob:hs\",\"event_id\":\"$e2\","
                        + "\"state_key\":\"\",\"content\":{\"mls\":" + mls + "}}"),
                arg(1, "{\"type\":\"" + MlsContent.WELCOME_EVENT + "\",\"sender\":\"@alice:hs\","
                        + "\"content\":{\"mls\":" + mls + ",\"room_id\":\"!room:hs\"}}"),
                arg(1, "{\"type\":\"" + MlsContent.WELCOME_EVENT + "\",\"sender\":\"@alice:hs\","
                        + "\"content\":{\"mls\":{\"mls\":" + mls + "},\"room_id\":null}}"),
                arg(2, mls),
                arg(2, "[" + mls + "]"),
                arg(3, "{\"device_keys\":{\"@bob:hs\":{\"A\":{\"user_id\":\"@bob:hs\",\"device_id\":\"A\","
                        + "\"algorithms\":[\"" + MlsContent.KEY_ALGORITHM + "\"],\"keys\":{},\"signatures\":{}},"
                        + "\"E\":{\"user_id\":\"@bob:hs\",\"device_id\":\"E\",\"algorithms\":[\"m.olm\"]}}},"
                        + "\"failures\":{}}"),
                arg(3, "{\"device_keys\":{\"@bob:hs\":{\"A\":{\"user_id\":\"@eve:hs\",\"device_id\":7,"
                        + "\"algorithms\":\"x\"}},\"@eve:hs\":[]}}"),
                arg(4, "{\"one_time_keys\":{\"@bob:hs\":{\"A\":{\"" + MlsContent.KEY_ALGORITHM + ":5c1e\":" + mls
                        + "}}},\"failures\":{}}"),
                arg(4, "{\"one_time_keys\":{\"@bob:hs\":{\"B\":{\"" + MlsContent.KEY_ALGORITHM + ":5c\":{},"
                        + "\"x:1\":" + mls + "},\"C\":{}},\"@eve:hs\":1}}"));
    }

    private static Arguments arg(int mode, String json) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[text.length + 1];
        input[0] = (byte) mode;
        System.arraycopy(text, 0, input, 1, text.length);
        return Arguments.of((Object) input);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void anEventNothingOrMalformed(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Object value;
        try {
            value = Json.decodeValue(Buffer.buffer(Arrays.copyOfRange(input, 1, input.length)));
        } catch (DecodeException notJson) {
            return; // MatrixHttp treats the response as having no JSON body
        }
        switch ((input[0] & 0xff) % 5) {
            case 0 -> {
                EventMapper.Mapped m = EventMapper.roomEvent(ROOM, value);
                check(m);
                m.event().ifPresent(e -> assertThat(e.room()).isEqualTo(ROOM));
                EventMapper.membership(value);
                EventMapper.eventId(value).ifPresent(id -> assertThat(EventMapper.isEventId(id)).isTrue());
            }
            case 1 -> {
                EventMapper.Mapped m = EventMapper.toDeviceEvent(value);
                check(m);
                m.event().ifPresent(e -> assertThat(e).isInstanceOf(RoomEvent.WelcomeReceived.class));
            }
            case 3 -> {
                if (value instanceof JsonObject answer) { // MatrixHttp hands out objects only
                    List<String> devices = KeyPackageDirectory.mlsDevices(answer, BOB, MatrixEventFuzzTest::reason);
                    assertThat(devices).hasSizeLessThanOrEqualTo(KeyPackageDirectory.MAX_DEVICES)
                            .isSorted().doesNotHaveDuplicates()
                            .allSatisfy(d -> assertThat(KeyPackageDirectory.DEVICE_ID.matcher(d).matches()).isTrue());
                }
            }
            case 4 -> {
                if (value instanceof JsonObject answer) {
                    List<String> asked = List.of("A", "B");
                    List<KeyPackageDirectory.Claimed> got = KeyPackageDirectory.claimed(answer, BOB, asked,
                            MatrixEventFuzzTest::reason);
                    assertThat(got).hasSizeLessThanOrEqualTo(asked.size()).allSatisfy(c -> {
                        assertThat(asked).contains(c.device());
                        assertThat(c.keyId()).startsWith(MlsContent.KEY_ALGORITHM + ":");
                        checkPayload(c.keyPackage());
                    });
                }
            }
            default -> {
                try {
                    checkPayload(MlsContent.parseKeyValue(value));
                } catch (MlsContent.MalformedContentException refused) {
                    // the documented refusal: the claimed key is dropped and counted
                }
            }
        }
    }

    private static void reason(String why) {
        assertThat(why).isNotBlank();
    }

    static void check(EventMapper.Mapped m) {
        if (m.malformed() != null) {
            assertThat(m.event()).isEmpty();
            assertThat(m.malformed()).isNotBlank();
            return;
        }
        m.event().ifPresent(e -> {
            switch (e) {
                case RoomEvent.RoomMessage msg -> checkPayload(msg.payload());
                case RoomEvent.WelcomeReceived w -> checkPayload(w.welcome());
                case RoomEvent.PlainMessage p -> assertThat(p.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(RoomEvent.PlainMessage.MAX_TEXT_BYTES);
                default -> {
                }
            }
        });
    }

    static void checkPayload(Bytes b) {
        assertThat(b.length()).isBetween(1, MlsContent.MAX_PAYLOAD_BYTES);
    }
}
