package org.mlsbridge.matrix;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Where an account's KeyPackages are on Matrix, as requests and answers: every device of the
 * account that is an MLS client advertises the algorithm {@value MlsContent#KEY_ALGORITHM} in its
 * {@code device_keys} ({@code /keys/query} lists them), and each such device's one-time and
 * fallback keys of that algorithm are its KeyPackages ({@code /keys/claim}). The answers are
 * the homeserver's and may be hostile: whatever does not fit is left out and reported to
 * {@link Drops} with its reason; nothing here throws on an answer.
 */
final class KeyPackageDirectory {
    /** At most this many MLS devices of one account are used (the first in device-id order). */
    static final int MAX_DEVICES = 16;
    /** Device ids as this transport writes them and accepts them from others. */
    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._=-]{1,64}");
    /** A key id of the MLS algorithm: {@code org.mlsbridge.mls.kp:} and the hex KeyPackageRef. */
    private static final Pattern KEY_ID = Pattern.compile(Pattern.quote(MlsContent.KEY_ALGORITHM)
            + ":(?:[0-9a-f]{2}){1,64}");

    /** Receives each part of an answer that was left out, with the reason. */
    interface Drops {
        void drop(String reason);
    }

    /** One claimed KeyPackage: the device it came from, its key id and the KeyPackage's bytes. */
    record Claimed(String device, String keyId, Bytes keyPackage) {
        Claimed {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(keyPackage, "keyPackage");
        }
    }

    private KeyPackageDirectory() {
    }

    /** The {@code device_keys} a device uploads to say it is an MLS client. */
    static JsonObject deviceKeys(String user, String device) {
        return new JsonObject().put("user_id", user).put("device_id", device)
                .put("algorithms", new JsonArray().add(MlsContent.KEY_ALGORITHM))
                .put("keys", new JsonObject()).put("signatures", new JsonObject());
    }

    /** {@code POST /keys/query} for every device of {@code user}. */
    static JsonObject queryBody(String user) {
        return new JsonObject().put("device_keys", new JsonObject().put(user, new JsonArray())).put("timeout", 10_000);
    }

    /**
     * The MLS devices of {@code user} in a {@code /keys/query} answer, in device-id order, at most
     * {@link #MAX_DEVICES}. A device counts when its entry is an object whose {@code user_id} and
     * {@code device_id} are the ones it is listed under and whose {@code algorithms} is an array
     * naming {@value MlsContent#KEY_ALGORITHM}; devices of other clients (no such algorithm) are
     * passed over silently, everything else is a drop.
     */
    static List<String> mlsDevices(JsonObject answer, String user, Drops drops) {
        if (!(answer.getValue("device_keys") instanceof JsonObject users)) {
            drops.drop("keys/query answer without a device_keys object");
            return List.of();
        }
        for (String other : users.fieldNames()) {
            if (!other.equals(user)) {
                drops.drop("keys/query answer lists devices of another user " + quoted(other));
            }
        }
        Object listed = users.getValue(user);
        if (listed == null) {
            return List.of();
        }
        if (!(listed instanceof JsonObject devices)) {
            drops.drop("keys/query answer: the devices of " + user + " are not an object");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int badEntries = 0;
        String firstProblem = null;
        for (String device : devices.fieldNames()) {
            String problem = problem(devices.getValue(device), user, device);
            if (problem == null) {
                out.add(device);
            } else if (!problem.isEmpty()) {
                badEntries++;
                firstProblem = firstProblem == null ? problem : firstProblem;
            }
        }
        if (badEntries > 0) {
            // one drop per answer, not per entry: a huge hostile list must not flood the log
            drops.drop("keys/query answer: " + badEntries + " device entr" + (badEntries == 1 ? "y" : "ies")
                    + " of " + user + " left out, first: " + firstProblem);
        }
        out.sort(null);
        if (out.size() > MAX_DEVICES) {
            drops.drop("keys/query answer: " + out.size() + " MLS devices of " + user + ", only the first "
                    + MAX_DEVICES + " are used");
            return List.copyOf(out.subList(0, MAX_DEVICES));
        }
        return List.copyOf(out);
    }

    /** Why a device entry is not an MLS device: null if it is one, empty if it is another client's. */
    private static String problem(Object entry, String user, String device) {
        if (!DEVICE_ID.matcher(device).matches()) {
            return "device id " + quoted(device) + " is not 1 to 64 of A-Z a-z 0-9 . _ = -";
        }
        if (!(entry instanceof JsonObject keys)) {
            return "device " + device + " is not an object";
        }
        if (!user.equals(keys.getValue("user_id"))) {
            return "device " + device + " names another user_id";
        }
        if (!device.equals(keys.getValue("device_id"))) {
            return "device " + device + " names another device_id";
        }
        if (!(keys.getValue("algorithms") instanceof JsonArray algorithms)) {
            return "device " + device + " has no algorithms array";
        }
        return algorithms.contains(MlsContent.KEY_ALGORITHM) ? null : "";
    }

    /** {@code POST /keys/claim} of one KeyPackage from each of {@code devices} of {@code user}. */
    static JsonObject claimBody(String user, Collection<String> devices) {
        JsonObject perDevice = new JsonObject();
        for (String d : devices) {
            perDevice.put(d, MlsContent.KEY_ALGORITHM);
        }
        return new JsonObject().put("one_time_keys", new JsonObject().put(user, perDevice)).put("timeout", 10_000);
    }

    /**
     * The KeyPackages of a {@code /keys/claim} answer, for the devices asked, in the order asked.
     * A device's entry must hold exactly one key, under a key id of the MLS algorithm, whose value
     * is canonical base64 of 1 to {@value MlsContent#MAX_PAYLOAD_BYTES} bytes; keys of users or
     * devices not asked for, and entries that break these rules, are drops.
     */
    static List<Claimed> claimed(JsonObject answer, String user, List<String> asked, Drops drops) {
        Object all = answer.getValue("one_time_keys");
        if (all == null) {
            return List.of();
        }
        if (!(all instanceof JsonObject users)) {
            drops.drop("keys/claim answer: one_time_keys is not an object");
            return List.of();
        }
        for (String other : users.fieldNames()) {
            if (!other.equals(user)) {
                drops.drop("keys/claim answer holds keys of another user " + quoted(other));
            }
        }
        Object listed = users.getValue(user);
        if (listed == null) {
            return List.of();
        }
        if (!(listed instanceof JsonObject devices)) {
            drops.drop("keys/claim answer: the keys of " + user + " are not an object");
            return List.of();
        }
        for (String device : devices.fieldNames()) {
            if (!asked.contains(device)) {
                drops.drop("keys/claim answer holds keys of device " + quoted(device) + ", not asked for");
            }
        }
        Map<String, Claimed> out = new LinkedHashMap<>();
        for (String device : asked) {
            Object keys = devices.getValue(device);
            if (keys == null) {
                continue; // that device has no KeyPackage left
            }
            if (!(keys instanceof JsonObject k) || k.size() != 1) {
                drops.drop("keys/claim answer: device " + device + " of " + user + " does not hold exactly one key");
                continue;
            }
            String keyId = k.fieldNames().iterator().next();
            if (!KEY_ID.matcher(keyId).matches()) {
                drops.drop("keys/claim answer: device " + device + " of " + user + " holds key id " + quoted(keyId)
                        + ", not " + MlsContent.KEY_ALGORITHM + ":<hex KeyPackageRef>");
                continue;
            }
            try {
                out.put(device, new Claimed(device, keyId, MlsContent.parseKeyValue(k.getValue(keyId))));
            } catch (MlsContent.MalformedContentException e) {
                drops.drop("keys/claim answer: KeyPackage " + keyId + " of " + user + " device " + device + ": "
                        + e.getMessage());
            }
        }
        return List.copyOf(out.values());
    }

    /** At most 80 characters of a name from the network, control characters replaced, for a log line. */
    private static String quoted(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
