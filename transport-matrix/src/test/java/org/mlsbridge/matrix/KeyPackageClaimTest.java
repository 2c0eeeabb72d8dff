package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * How {@link MatrixTransport} finds and claims another account's KeyPackages, against a scripted
 * homeserver whose {@code /keys/query} and {@code /keys/claim} answers the test chooses (hostile
 * ones too), recording every request body.
 */
class KeyPackageClaimTest {
    private static final String BOB = "@bob:localhost";
    private static final UserId BOB_ID = MatrixIds.user(BOB);
    private static final String KEY = MlsContent.KEY_ALGORITHM + ":" + "5c".repeat(32);

    private record Seen(String path, JsonObject body) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private MatrixConnector connector;
    private MatrixTransport alice;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        connector = new MatrixConnector(new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(50),
                Duration.ofSeconds(3), Duration.ofSeconds(5)));
        alice = connector.connect(new MatrixAccount(URI.create("http://127.0.0.1:" + server.actualPort()),
                MatrixIds.user("@alice:localhost"), "secret", "ALICE-LAPTOP"));
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        connector.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answer(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String path = req.path();
            if (path.endsWith("/login")) {
                req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("access_token", "token").put("user_id", "@alice:localhost")
                        .put("device_id", "ALICE-LAPTOP").encode());
                return;
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            JsonObject json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
            seen.add(new Seen(name, json));
            // a claim of one device may have an answer of its own: "claim:<device>"
            String perDevice = name.equals("claim") && json.getValue("one_time_keys") instanceof JsonObject users
                    && users.getValue(BOB) instanceof JsonObject asked && asked.size() == 1
                    ? answers.get("claim:" + asked.fieldNames().iterator().next()) : null;
            req.response().putHeader("Content-Type", "application/json")
                    .end(perDevice != null ? perDevice : answers.getOrDefault(name, "{}"));
        });
    }

    private static JsonObject device(String user, String device, String... algorithms) {
        return new JsonObject().put("user_id", user).put("device_id", device)
                .put("algorithms", new JsonArray(List.of((Object[]) algorithms))).put("keys", new JsonObject())
                .put("signatures", new JsonObject());
    }

    private void devicesOfBob(JsonObject devices) {
        answers.put("query", new JsonObject().put("device_keys", new JsonObject().put(BOB, devices))
                .put("failures", new JsonObject()).encode());
    }

    private void claimAnswer(String device, JsonObject keys) {
        answers.put("claim", new JsonObject().put("one_time_keys", new JsonObject().put(BOB,
                new JsonObject().put(device, keys))).put("failures", new JsonObject()).encode());
    }

    private List<JsonObject> bodies(String name) {
        return seen.stream().filter(s -> s.path().equals(name)).map(Seen::body).toList();
    }

    @Test
    void theKeyPackageComesFromTheDeviceThatAdvertisesMls() throws Exception {
        devicesOfBob(new JsonObject()
                .put("ELEMENT", device(BOB, "ELEMENT", "m.olm.v1.curve25519-aes-sha2"))
                .put("BOBS-PHONE", device(BOB, "BOBS-PHONE", MlsContent.KEY_ALGORITHM)));
        claimAnswer("BOBS-PHONE", new JsonObject().put(KEY, "AAEC/w=="));
        assertThat(alice.claimKeyPackage(BOB_ID)).contains(Bytes.of(new byte[] {0, 1, 2, (byte) 0xff}));
        assertThat(bodies("query")).containsExactly(KeyPackageDirectory.queryBody(BOB));
        assertThat(bodies("claim")).containsExactly(KeyPackageDirectory.claimBody(BOB, List.of("BOBS-PHONE")));
        assertThat(alice.malformedEvents()).isZero();
    }

    @Test
    void withoutAnMlsDeviceNothingIsClaimed() throws Exception {
        devicesOfBob(new JsonObject().put("ELEMENT", device(BOB, "ELEMENT", "m.megolm.v1.aes-sha2")));
        assertThat(alice.claimKeyPackage(BOB_ID)).isEmpty();
        assertThat(bodies("claim")).isEmpty();
        assertThat(alice.malformedEvents()).isZero();
    }

    @Test
    void devicesAreTriedInOrderUntilOneHandsOutAKeyPackage() throws Exception {
        devicesOfBob(new JsonObject()
                .put("B", device(BOB, "B", MlsContent.KEY_ALGORITHM))
                .put("A", device(BOB, "A", MlsContent.KEY_ALGORITHM)));
        answers.put("claim:A", "{\"one_time_keys\": {}, \"failures\": {}}"); // A has nothing left
        claimAnswer("B", new JsonObject().put(KEY, "AAE="));
        assertThat(alice.claimKeyPackage(BOB_ID)).contains(Bytes.of(new byte[] {0, 1}));
        assertThat(alice.malformedEvents()).isZero();
        assertThat(bodies("claim")).containsExactly(KeyPackageDirectory.claimBody(BOB, List.of("A")),
                KeyPackageDirectory.claimBody(BOB, List.of("B")));
    }

    @Test
    void hostileAnswersAreCountedAndGiveNoKeyPackage() throws Exception {
        answers.put("query", "{\"device_keys\": [1, 2]}");
        assertThat(alice.claimKeyPackage(BOB_ID)).isEmpty();
        assertThat(alice.malformedEvents()).isEqualTo(1);

        // a device of another user slipped into bob's list, and a claim answering for another user
        devicesOfBob(new JsonObject().put("M", device("@mallory:localhost", "M", MlsContent.KEY_ALGORITHM))
                .put("P", device(BOB, "P", MlsContent.KEY_ALGORITHM)));
        answers.put("claim", new JsonObject().put("one_time_keys", new JsonObject().put("@mallory:localhost",
                new JsonObject().put("P", new JsonObject().put(KEY, "AAE="))))
                .put("failures", new JsonObject()).encode());
        assertThat(alice.claimKeyPackage(BOB_ID)).isEmpty();
        assertThat(bodies("claim")).containsExactly(KeyPackageDirectory.claimBody(BOB, List.of("P")));
        assertThat(alice.malformedEvents()).isEqualTo(3);

        // the wrong type for the KeyPackage itself
        claimAnswer("P", new JsonObject().put(KEY, new JsonObject().put("key", "AAE=")));
        assertThat(alice.claimKeyPackage(BOB_ID)).isEmpty();
        assertThat(alice.malformedEvents()).isEqualTo(5);
    }

    @Test
    void anUnreachableServerIsARetryableFailure() {
        answers.put("query", "{\"device_keys\": {}, \"failures\": {\"remote.example\": {\"errcode\": \"M_UNKNOWN\"}}}");
        assertThatThrownBy(() -> alice.claimKeyPackage(BOB_ID)).isInstanceOfSatisfying(TransportException.class,
                e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void theFirstKeyUploadOfAConnectionAdvertisesTheDevice() throws Exception {
        answers.put("upload", "{\"one_time_key_counts\": {\"org.mlsbridge.mls.kp\": 1}}");
        alice.publishKeyPackages(List.of(new PublishedKeyPackage(Bytes.of(new byte[] {1}), Bytes.of(new byte[] {2}))),
                Optional.empty());
        assertThat(alice.availableKeyPackages()).isEqualTo(1);
        List<JsonObject> uploads = bodies("upload");
        assertThat(uploads).hasSize(2);
        assertThat(uploads.get(0).getJsonObject("device_keys"))
                .isEqualTo(KeyPackageDirectory.deviceKeys("@alice:localhost", "ALICE-LAPTOP"));
        assertThat(uploads.get(1).containsKey("device_keys")).isFalse();
    }
}
