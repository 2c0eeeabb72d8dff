package org.mlsbridge.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Creates Matrix accounts through Synapse's shared-secret registration
 * ({@code /_synapse/admin/v1/register}: a nonce, then the account signed with HMAC-SHA1 of the
 * homeserver's {@code registration_shared_secret}).
 */
final class SharedSecretRegistrar implements Registrar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final byte[] secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SharedSecretRegistrar(URI homeserver, String secret) {
        this.endpoint = homeserver.resolve("/_synapse/admin/v1/register");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void register(String localpart, String password) throws Exception {
        HttpResponse<String> n = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode nonceAnswer = n.statusCode() == 200 ? JSON.readTree(n.body()) : null;
        if (nonceAnswer == null || !nonceAnswer.path("nonce").isTextual()) {
            throw new IllegalStateException("shared-secret registration is not available at " + endpoint + " (HTTP "
                    + n.statusCode() + ")");
        }
        String nonce = nonceAnswer.get("nonce").asText();
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret, "HmacSHA1"));
        String signed = nonce + "\0" + localpart + "\0" + password + "\0notadmin";
        ObjectNode body = JSON.createObjectNode().put("nonce", nonce).put("username", localpart)
                .put("password", password).put("admin", false)
                .put("mac", HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            // The body names the reason (a wrong secret, a taken name); it holds no secret of ours.
            throw new IllegalStateException("registering " + localpart + " at " + endpoint + ": HTTP " + r.statusCode()
                    + " " + abbreviate(r.body()));
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }
}
