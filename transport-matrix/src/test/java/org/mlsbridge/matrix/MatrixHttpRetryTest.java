package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The retry rules of {@link MatrixHttp} against a scripted homeserver: answers are taken from a
 * queue per request (login always succeeds with a fresh token), and every request is recorded.
 */
class MatrixHttpRetryTest {
    private static final RoomId ROOM = new RoomId("!room:localhost");
    private static final Bytes PAYLOAD = Bytes.of(new byte[] {1, 2, 3});

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private record Seen(String method, String path, String auth, long atNanos) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private HttpServer server;
    private MatrixConnector connector;
    private MatrixTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        connector = new MatrixConnector(new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(3), Duration.ofSeconds(5)));
        transport = connector.connect(new MatrixAccount(URI.create("http://127.0.0.1:" + server.actualPort()),
                MatrixIds.user("@alice:localhost"), "secret"));
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        connector.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answer(HttpServerRequest req) {
        seen.add(new Seen(req.method().name(), req.path(), req.getHeader("Authorization"), System.nanoTime()));
        if (req.path().endsWith("/login")) {
            req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("access_token", "token" + tokens.incrementAndGet()).put("user_id", "@alice:localhost")
                    .put("device_id", MatrixAccount.DEFAULT_DEVICE_ID).encode());
            return;
        }
        Answer a = script.poll();
        if (a == null) {
            a = new Answer(200, Map.of(), "{\"event_id\":\"$ok\"}");
        }
        if (a.status() == 0) {
            req.connection().close(); // a network failure
            return;
        }
        var resp = req.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json");
        a.headers().forEach(resp::putHeader);
        resp.end(a.body());
    }

    private ServerId send() throws TransportException {
        return transport.sendToRoom(ROOM, new ClientMessageId("txn1"), PAYLOAD);
    }

    private List<Seen> sends() {
        return seen.stream().filter(s -> s.path().contains("/send/")).toList();
    }

    @Test
    void rateLimitHonoursRetryAfterInSeconds() throws Exception {
        script.add(new Answer(429, Map.of("Retry-After", "1"),
                "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":10}"));
        assertThat(send()).isEqualTo(new ServerId("$ok"));
        List<Seen> s = sends();
        assertThat(s).hasSize(2);
        // the header wins over the body's retry_after_ms
        assertThat(s.get(1).atNanos() - s.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
        assertThat(s.get(1).path()).isEqualTo(s.get(0).path()); // same txnId
    }

    @Test
    void rateLimitWithoutHeaderUsesRetryAfterMs() throws Exception {
        script.add(new Answer(429, Map.of(), "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":400}"));
        send();
        List<Seen> s = sends();
        assertThat(s.get(1).atNanos() - s.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(380).toNanos());
    }

    @Test
    void aRateLimitLongerThanAllowedFailsRetryablyAtOnce() {
        script.add(new Answer(429, Map.of("Retry-After", "3600"), "{\"errcode\":\"M_LIMIT_EXCEEDED\"}"));
        assertThatThrownBy(this::send).isInstanceOfSatisfying(TransportException.class,
                e -> assertThat(e.retryable()).isTrue());
        assertThat(sends()).hasSize(1);
    }

    @Test
    void serverAndNetworkErrorsBackOffAndRetry() throws Exception {
        script.add(new Answer(502, Map.of(), "<html>bad gateway</html>"));
        script.add(new Answer(0, Map.of(), ""));
        script.add(new Answer(500, Map.of(), "{\"errcode\":\"M_UNKNOWN\"}"));
        assertThat(send()).isEqualTo(new ServerId("$ok"));
        assertThat(sends()).hasSize(4);
        assertThat(transport.retries()).isEqualTo(3);
    }

    @Test
    void retriesAreBoundedThenFailRetryably() {
        for (int i = 0; i < 10; i++) {
            script.add(new Answer(503, Map.of(), "{}"));
        }
        assertThatThrownBy(this::send).isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e).hasMessageContaining("gave up after 4 attempts");
        });
        assertThat(sends()).hasSize(4);
    }

    @Test
    void anExpiredTokenLogsInAgainAndRetries() throws Exception {
        script.add(new Answer(401, Map.of(), "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"expired\"}"));
        assertThat(send()).isEqualTo(new ServerId("$ok"));
        List<Seen> s = sends();
        assertThat(s).extracting(Seen::auth).containsExactly("Bearer token1", "Bearer token2");
        assertThat(transport.logins()).isEqualTo(2);
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        script.add(new Answer(403, Map.of(), "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not in room\"}"));
        assertThatThrownBy(this::send).isInstanceOfSatisfying(MatrixHttpException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.errcode()).contains("M_FORBIDDEN");
        });
        assertThat(sends()).hasSize(1);
    }

    @Test
    void aHostileSuccessAnswerIsRefused() {
        for (int i = 0; i < 4; i++) {
            script.add(new Answer(200, Map.of(), "{\"event_id\":\"no dollar\"}"));
        }
        assertThatThrownBy(this::send).isInstanceOf(TransportException.class);
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        RandomGenerator r = RandomGenerator.of("L64X128MixRandom");
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoff(1, r).toMillis()).isBetween(50L, 100L);
            assertThat(p.backoff(3, r).toMillis()).isBetween(200L, 400L);
            assertThat(p.backoff(9, r).toMillis()).isBetween(500L, 1000L);
        }
    }

    @Test
    void retryAfterAcceptsAnHttpDate() {
        io.vertx.core.MultiMap h = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
        h.add("Retry-After", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30)));
        assertThat(MatrixHttp.retryAfter(h, null).toSeconds()).isBetween(28L, 30L);
        assertThat(MatrixHttp.retryAfter(io.vertx.core.MultiMap.caseInsensitiveMultiMap(),
                new JsonObject().put("retry_after_ms", 1234)).toMillis()).isEqualTo(1234);
    }
}
