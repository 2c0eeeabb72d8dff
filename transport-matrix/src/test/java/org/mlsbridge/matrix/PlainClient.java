package org.mlsbridge.matrix;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.bridge.transport.RoomId;

/**
 * A plain Matrix client with no MLS (java.net.http and raw JSON): logs in on a device of its own,
 * reads a room's events and sends arbitrary event content, as any other client could.
 */
public final class PlainClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public PlainClient(MatrixAccount account) throws Exception {
        this.base = account.homeserver();
        JsonObject login = new JsonObject().put("type", "m.login.password")
                .put("identifier", new JsonObject().put("type", "m.id.user").put("user", account.matrixUserId()))
                .put("password", account.password()).put("device_id", "PLAIN");
        this.token = request("POST", "/_matrix/client/v3/login", login, false).getString("access_token");
    }

    /** Joins a room it was invited to. */
    public void join(RoomId room) throws Exception {
        request("POST", "/_matrix/client/v3/rooms/" + enc(room.value()) + "/join", new JsonObject(), true);
    }

    /** Sends a text as any chat client does ({@code m.room.message}, msgtype {@code m.text}). */
    public String sendText(RoomId room, String text, String txnId) throws Exception {
        return send(room, "m.room.message", new JsonObject().put("msgtype", "m.text").put("body", text), txnId);
    }

    /** Sends an event of any type with any content (e.g. malformed MLS content). */
    public String send(RoomId room, String type, JsonObject content, String txnId) throws Exception {
        return request("PUT", "/_matrix/client/v3/rooms/" + enc(room.value()) + "/send/" + enc(type) + "/"
                + enc(txnId), content, true).getString("event_id");
    }

    /** Sends a to-device event of any type with any content to every device of {@code user}. */
    void sendToDevice(String user, String type, JsonObject content, String txnId) throws Exception {
        JsonObject body = new JsonObject().put("messages",
                new JsonObject().put(user, new JsonObject().put("*", content)));
        request("PUT", "/_matrix/client/v3/sendToDevice/" + enc(type) + "/" + enc(txnId), body, true);
    }

    /** Every event of the room this client may see, oldest first. */
    public List<JsonObject> events(RoomId room) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 1000; page++) {
            String q = "?dir=f&limit=100" + (from == null ? "" : "&from=" + enc(from));
            JsonObject r = request("GET", "/_matrix/client/v3/rooms/" + enc(room.value()) + "/messages" + q, null,
                    true);
            JsonArray chunk = r.getJsonArray("chunk", new JsonArray());
            for (int i = 0; i < chunk.size(); i++) {
                out.add(chunk.getJsonObject(i));
            }
            String end = r.getString("end");
            if (chunk.isEmpty() || end == null) {
                return out;
            }
            from = end;
        }
        throw new IllegalStateException("room history too long");
    }

    private JsonObject request(String method, String path, JsonObject body, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (auth) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
