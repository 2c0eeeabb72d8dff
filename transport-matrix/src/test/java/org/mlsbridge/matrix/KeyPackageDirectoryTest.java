package org.mlsbridge.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;

/** Finding an account's MLS devices and reading claimed KeyPackages, from hostile answers too. */
class KeyPackageDirectoryTest {
    private static final String BOB = "@bob:example.org";
    private static final String KEY = MlsContent.KEY_ALGORITHM + ":" + "5c".repeat(32);
    private final List<String> drops = new ArrayList<>();

    private static JsonObject device(String user, String device, String... algorithms) {
        return new JsonObject().put("user_id", user).put("device_id", device)
                .put("algorithms", new JsonArray(List.of((Object[]) algorithms))).put("keys", new JsonObject())
                .put("signatures", new JsonObject());
    }

    private static JsonObject queryAnswer(JsonObject devices) {
        return new JsonObject().put("device_keys", new JsonObject().put(BOB, devices)).put("failures", new JsonObject());
    }

    private List<String> devices(JsonObject answer) {
        return KeyPackageDirectory.mlsDevices(answer, BOB, drops::add);
    }

    @Test
    void requestsAreTheSpecsShapes() {
        assertThat(KeyPackageDirectory.queryBody(BOB).encode())
                .isEqualTo("{\"device_keys\":{\"@bob:example.org\":[]},\"timeout\":10000}");
        assertThat(KeyPackageDirectory.claimBody(BOB, List.of("PHONE", "LAPTOP")).encode())
                .isEqualTo("{\"one_time_keys\":{\"@bob:example.org\":{\"PHONE\":\"org.mlsbridge.mls.kp\","
                        + "\"LAPTOP\":\"org.mlsbridge.mls.kp\"}},\"timeout\":10000}");
        assertThat(KeyPackageDirectory.deviceKeys(BOB, "LAPTOP").encode())
                .isEqualTo("{\"user_id\":\"@bob:example.org\",\"device_id\":\"LAPTOP\","
                        + "\"algorithms\":[\"org.mlsbridge.mls.kp\"],\"keys\":{},\"signatures\":{}}");
    }

    @Test
    void mlsDevicesAreThoseNamingTheAlgorithmInDeviceIdOrder() {
        JsonObject listed = new JsonObject()
                .put("PHONE", device(BOB, "PHONE", MlsContent.KEY_ALGORITHM))
                .put("ELEMENT", device(BOB, "ELEMENT", "m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"))
                .put("LAPTOP", device(BOB, "LAPTOP", "m.olm.v1.curve25519-aes-sha2", MlsContent.KEY_ALGORITHM));
        assertThat(devices(queryAnswer(listed))).containsExactly("LAPTOP", "PHONE");
        assertThat(drops).isEmpty(); // another client's device is not a problem
        assertThat(devices(new JsonObject().put("device_keys", new JsonObject()))).isEmpty();
        assertThat(drops).isEmpty();
    }

    @Test
    void hostileQueryAnswersAreLeftOutWithAReason() {
        assertThat(devices(new JsonObject())).isEmpty();
        assertThat(devices(new JsonObject().put("device_keys", "x"))).isEmpty();
        assertThat(devices(new JsonObject().put("device_keys", new JsonObject().put(BOB, new JsonArray())))).isEmpty();
        assertThat(drops).hasSize(3).allSatisfy(d -> assertThat(d).startsWith("keys/query answer"));
        drops.clear();

        JsonObject listed = new JsonObject()
                .put("GOOD", device(BOB, "GOOD", MlsContent.KEY_ALGORITHM))
                .put("MALLORYS", device("@mallory:example.org", "MALLORYS", MlsContent.KEY_ALGORITHM))
                .put("RENAMED", device(BOB, "OTHER", MlsContent.KEY_ALGORITHM))
                .put("NUMBER", 7)
                .put("NOALGS", device(BOB, "NOALGS").put("algorithms", "org.mlsbridge.mls.kp"))
                .put("bad id with spaces", device(BOB, "bad id with spaces", MlsContent.KEY_ALGORITHM))
                .put("X".repeat(65), device(BOB, "X".repeat(65), MlsContent.KEY_ALGORITHM));
        JsonObject answer = queryAnswer(listed);
        answer.getJsonObject("device_keys").put("@mallory:example.org",
                new JsonObject().put("M", device("@mallory:example.org", "M", MlsContent.KEY_ALGORITHM)));
        assertThat(devices(answer)).containsExactly("GOOD");
        assertThat(drops).hasSize(2);
        assertThat(drops.get(0)).contains("another user '@mallory:example.org'");
        assertThat(drops.get(1)).contains("6 device entries of @bob:example.org left out");
    }

    @Test
    void hugeDeviceListsAreCutToTheFirstDevicesInOrder() {
        JsonObject listed = new JsonObject();
        for (int i = 0; i < 10_000; i++) {
            String d = String.format("D%05d", 9_999 - i);
            listed.put(d, device(BOB, d, MlsContent.KEY_ALGORITHM));
        }
        List<String> got = devices(queryAnswer(listed));
        assertThat(got).hasSize(KeyPackageDirectory.MAX_DEVICES).startsWith("D00000", "D00001")
                .endsWith(String.format("D%05d", KeyPackageDirectory.MAX_DEVICES - 1));
        assertThat(drops).singleElement().asString().contains("10000 MLS devices");
    }

    private List<KeyPackageDirectory.Claimed> claimed(JsonObject answer, String... asked) {
        return KeyPackageDirectory.claimed(answer, BOB, List.of(asked), drops::add);
    }

    private static JsonObject claimAnswer(JsonObject devices) {
        return new JsonObject().put("one_time_keys", new JsonObject().put(BOB, devices)).put("failures", new JsonObject());
    }

    @Test
    void claimedKeyPackagesComeOnePerDeviceAsked() {
        JsonObject devices = new JsonObject()
                .put("PHONE", new JsonObject().put(KEY, "AAEC/w=="))
                .put("LAPTOP", new JsonObject().put(MlsContent.KEY_ALGORITHM + ":" + "ab".repeat(48), "AAE="));
        assertThat(claimed(claimAnswer(devices), "LAPTOP", "PHONE", "TABLET")).containsExactly(
                new KeyPackageDirectory.Claimed("LAPTOP", MlsContent.KEY_ALGORITHM + ":" + "ab".repeat(48),
                        Bytes.of(new byte[] {0, 1})),
                new KeyPackageDirectory.Claimed("PHONE", KEY, Bytes.of(new byte[] {0, 1, 2, (byte) 0xff})));
        assertThat(drops).isEmpty();
        // nothing left anywhere: an empty answer, no drop
        assertThat(claimed(new JsonObject().put("one_time_keys", new JsonObject()), "PHONE")).isEmpty();
        assertThat(claimed(new JsonObject(), "PHONE")).isEmpty();
        assertThat(drops).isEmpty();
    }

    @Test
    void hostileClaimAnswersAreLeftOutWithAReason() {
        assertThat(claimed(new JsonObject().put("one_time_keys", new JsonArray()), "PHONE")).isEmpty();
        assertThat(claimed(new JsonObject().put("one_time_keys", new JsonObject().put(BOB, "x")), "PHONE")).isEmpty();
        assertThat(drops).hasSize(2);
        drops.clear();

        JsonObject devices = new JsonObject()
                .put("PHONE", new JsonObject().put(KEY, "AAEC/w=="))
                .put("UNASKED", new JsonObject().put(KEY, "AAEC/w=="))
                .put("TWO", new JsonObject().put(KEY, "AAEC/w==").put(MlsContent.KEY_ALGORITHM + ":00", "AAE="))
                .put("OLM", new JsonObject().put("signed_curve25519:AAAA", new JsonObject()))
                .put("UPPER", new JsonObject().put(MlsContent.KEY_ALGORITHM + ":" + "5C".repeat(32), "AAE="))
                .put("ODD", new JsonObject().put(MlsContent.KEY_ALGORITHM + ":abc", "AAE="))
                .put("NUMBER", new JsonObject().put(KEY, 12))
                .put("NOTB64", new JsonObject().put(KEY, "AAEC/x=="))
                .put("EMPTY", new JsonObject().put(KEY, ""))
                .put("HUGE", new JsonObject().put(KEY, "A".repeat(4 * (MlsContent.MAX_PAYLOAD_BYTES / 3 + 2))))
                .put("ARRAY", new JsonArray());
        JsonObject answer = claimAnswer(devices);
        answer.getJsonObject("one_time_keys").put("@mallory:example.org",
                new JsonObject().put("M", new JsonObject().put(KEY, "AAEC/w==")));
        List<KeyPackageDirectory.Claimed> got = claimed(answer, "PHONE", "TWO", "OLM", "UPPER", "ODD", "NUMBER",
                "NOTB64", "EMPTY", "HUGE", "ARRAY");
        assertThat(got).extracting(KeyPackageDirectory.Claimed::device).containsExactly("PHONE");
        assertThat(drops).hasSize(11);
        assertThat(drops.get(0)).contains("another user '@mallory:example.org'");
        assertThat(drops.get(1)).contains("device 'UNASKED', not asked for");
        assertThat(drops.subList(2, 11)).allSatisfy(d -> assertThat(d).startsWith("keys/claim answer"));
    }
}
