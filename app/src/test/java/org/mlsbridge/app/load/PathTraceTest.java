package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.bridge.transport.Delivery;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/** A message's latency is split into the stages of its way, and the stages add up to it. */
class PathTraceTest {
    private static final UserId X = UserId.xmpp("x@example.org");
    private static final UserId M = UserId.matrix("@m:example.org");

    private static long ms(long v) {
        return v * 1_000_000L;
    }

    private static List<Delivery> delivered(Bytes payload) {
        return List.of(new Delivery(new RoomEvent.RoomMessage(new RoomId("r"), X, new ServerId("s"), payload),
                new Cursor("c")));
    }

    private final Tally tally = new Tally(new LoadSettings(1, 2, 10, 100, Duration.ofSeconds(1)), List.of(X, M));
    private final PathTrace trace = new PathTrace(2, 2);

    /** Message 0 from XMPP to Matrix, message 1 from Matrix to XMPP, each read by its one reader. */
    private void twoMessages() {
        Bytes p0 = Bytes.wrap("message 0".getBytes(StandardCharsets.UTF_8));
        Bytes p1 = Bytes.wrap("message 1".getBytes(StandardCharsets.UTF_8));

        // message 0, XMPP to Matrix: 10 ms sending, 20 ms to the relay, 50 ms its post, 20 ms to the reader, 5 ms reading
        tally.sent(0, ms(1000));
        trace.sending(0);
        trace.memberPosted(trace.memberPosting(p0), ms(1010));
        trace.sending(-1);
        trace.relayPolled(delivered(p0), ms(1030));
        trace.relayPosted(p0, ms(1080));
        trace.memberPolled(1, delivered(p0), ms(1100));
        tally.read(1, 0, null, ms(1105));

        // message 1, Matrix to XMPP: the reader has it (2120) before the relay has its answer (2130)
        tally.sent(1, ms(2000));
        trace.sending(1);
        trace.memberPosted(trace.memberPosting(p1), ms(2040));
        trace.sending(-1);
        trace.relayPolled(delivered(p1), ms(2100));
        trace.memberPolled(0, delivered(p1), ms(2120));
        trace.relayPosted(p1, ms(2130));
        tally.read(0, 1, null, ms(2125));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachMessagesLatencyIsSplitIntoTheStagesOfItsWay() {
        twoMessages();
        // a payload no member posted while sending is not traced
        assertThat(trace.memberPosting(Bytes.wrap(new byte[] {1}))).isEqualTo(-1);

        Map<String, Object> split = trace.split(tally);
        Map<String, Object> xm = (Map<String, Object>) split.get("xmpp_to_matrix");
        assertThat(xm.get("messages")).isEqualTo(1);
        assertThat(((Map<String, Double>) xm.get("all_ms")).values())
                .containsExactly(10.0, 20.0, 50.0, 20.0, 5.0, 105.0);
        Map<String, Object> mx = (Map<String, Object>) split.get("matrix_to_xmpp");
        assertThat(((Map<String, Double>) mx.get("all_ms")).values())
                .containsExactly(40.0, 60.0, 25.0, 0.0, 0.0, 125.0);
        Map<String, Object> all = (Map<String, Object>) split.get("to_all");
        assertThat(all.get("messages")).isEqualTo(2);
        assertThat(((Map<String, Double>) all.get("all_ms")).get("total")).isEqualTo(115.0);
        // the slowest 1 % of two messages is the slower one
        assertThat(((Map<String, Double>) all.get("slowest_1pct_ms")).get("total")).isEqualTo(125.0);
        // each stage's own median (the lower of two): the relay's post from message 1, the rest from message 0
        assertThat(((Map<String, Double>) all.get("median_ms")).values())
                .containsExactly(10.0, 20.0, 25.0, 0.0, 0.0, 105.0);
        assertThat(((Map<String, Double>) xm.get("median_ms")).values())
                .containsExactly(10.0, 20.0, 50.0, 20.0, 5.0, 105.0);
    }

    @Test
    void aTraceFileRowHasEachStageInMillisecondsAfterTheSendAsMeasuredNotClamped() {
        twoMessages();
        List<PathTrace.Way> ways = trace.ways(tally);
        assertThat(ways).hasSize(2);
        Instant sent = Instant.parse("2026-12-05T08:00:00.123456Z");
        assertThat(TraceFile.row("mls", ways.get(0), sent)).isEqualTo("mls,0,xmpp:x@example.org,xmpp,"
                + "matrix:u/m:example.org,matrix,1,2026-12-05T08:00:00.123Z,10.0,30.0,80.0,100.0,105.0");
        // the reader had message 1 (120 ms) before the relay's post was answered (130 ms): both as seen
        assertThat(TraceFile.row("mls", ways.get(1), sent)).endsWith(",1,2026-12-05T08:00:00.123Z,40.0,100.0,"
                + "130.0,120.0,125.0");
    }

    @Test
    void aMessageNobodyReadHasNoLastReaderAndEmptyStages() {
        tally.sent(0, ms(1000));
        PathTrace.Way way = trace.ways(tally).get(0);
        assertThat(way.lastReader()).isNull();
        assertThat(way.readers()).isZero();
        assertThat(TraceFile.row("plain", way, Instant.EPOCH))
                .isEqualTo("plain,0,xmpp:x@example.org,xmpp,,,0,1970-01-01T00:00:00Z,,,,,");
        // message 1 was never sent: no row
        assertThat(trace.ways(tally)).hasSize(1);
    }
}
