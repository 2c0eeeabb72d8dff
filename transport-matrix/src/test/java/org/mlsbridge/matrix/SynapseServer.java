package org.mlsbridge.matrix;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mlsbridge.bridge.transport.UserId;

/**
 * A Synapse of our own for tests: runs from the cached Debian chroot that
 * scripts/servers/synapse-chroot.sh builds, in a private mount namespace (its own /proc, gone
 * when it exits), listening on a free port of 127.0.0.1 only, with its database in a fresh
 * folder inside the chroot. Users are registered with the run's shared secret. Fails loudly if
 * anything is missing.
 */
public final class SynapseServer implements AutoCloseable {
    public static final String SERVER_NAME = "localhost";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path root;
    private final Path runDir;
    private final String runDirInChroot;
    private final int port;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private SynapseServer(Path root) throws IOException {
        this.root = root;
        this.runDir = Files.createTempDirectory(root.resolve("tmp"), "mlsbridge-synapse-");
        this.runDirInChroot = "/" + root.relativize(runDir).toString();
        this.port = freePort();
        byte[] s = new byte[24];
        new SecureRandom().nextBytes(s);
        this.secret = HexFormat.of().formatHex(s);
        writeConfig();
    }

    /** Starts a new server with empty data. */
    public static SynapseServer start() throws Exception {
        SynapseServer s = new SynapseServer(chroot());
        try {
            s.launch();
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Where scripts/servers/synapse-chroot.sh puts the chroot ($MLSBRIDGE_CACHE or ~/.cache/mlsbridge). */
    static Path chroot() {
        String cache = System.getenv("MLSBRIDGE_CACHE");
        Path root = (cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "mlsbridge")).resolve("synapse-chroot");
        if (!Files.isRegularFile(root.resolve(".mlsbridge-ready"))) {
            throw new IllegalStateException("no Synapse chroot at " + root
                    + ": run scripts/servers/synapse-chroot.sh (scripts/test.sh does this before Maven)");
        }
        return root;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops the server (as a crash of the host would: SIGKILL), keeping its data. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the server cleanly (SIGTERM), keeping its data. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the stopped server again on the same port and data. */
    void restart() throws Exception {
        stop();
        launch();
    }

    /** Starts the server again after {@link #kill} or {@link #stop}. */
    public void startAgain() throws Exception {
        launch();
    }

    private void launch() throws Exception {
        String cfg = runDirInChroot + "/homeserver.yaml";
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount -t proc proc \"$0/proc\" && exec chroot \"$0\" /usr/bin/python3 -m synapse.app.homeserver -c \"$1\"",
                root.toString(), cfg);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("stdout.log").toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Synapse exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve("/_matrix/client/versions"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Synapse did not answer within " + START_TIMEOUT + ":\n" + logTail());
    }

    private String logTail() {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("stdout.log", "homeserver.log")) {
            try {
                List<String> lines = Files.readAllLines(runDir.resolve(f));
                sb.append("--- ").append(f).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("--- ").append(f).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Registers {@code localpart} with the shared secret; returns its identity URI. */
    public UserId register(String localpart, String password) throws Exception {
        URI reg = url().resolve("/_synapse/admin/v1/register");
        HttpResponse<String> n = http.send(HttpRequest.newBuilder(reg).build(), HttpResponse.BodyHandlers.ofString());
        String nonce = new JsonObject(n.body()).getString("nonce");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String msg = nonce + "\0" + localpart + "\0" + password + "\0notadmin";
        String digest = HexFormat.of().formatHex(mac.doFinal(msg.getBytes(StandardCharsets.UTF_8)));
        JsonObject body = new JsonObject().put("nonce", nonce).put("username", localpart).put("password", password)
                .put("admin", false).put("mac", digest);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(reg).POST(HttpRequest.BodyPublishers.ofString(
                body.encode())).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("registering " + localpart + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return MatrixIds.user("@" + localpart + ":" + SERVER_NAME);
    }

    private void writeConfig() throws IOException {
        Files.copy(root.resolve("srv/template/localhost.signing.key"), runDir.resolve("signing.key"));
        String d = runDirInChroot;
        Files.writeString(runDir.resolve("log.yaml"), """
                version: 1
                formatters:
                  precise:
                    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
                handlers:
                  file:
                    class: logging.FileHandler
                    formatter: precise
                    filename: DIR/homeserver.log
                root:
                  level: WARNING
                  handlers: [file]
                disable_existing_loggers: false
                """.replace("DIR", d));
        String generous = "{per_second: 1000, burst_count: 10000}";
        Files.writeString(runDir.resolve("homeserver.yaml"), """
                server_name: "SERVER"
                pid_file: DIR/homeserver.pid
                listeners:
                  - port: PORT
                    bind_addresses: ['127.0.0.1']
                    type: http
                    tls: false
                    x_forwarded: false
                    resources:
                      - names: [client]
                        compress: false
                database:
                  name: sqlite3
                  args:
                    database: DIR/homeserver.db
                log_config: "DIR/log.yaml"
                media_store_path: DIR/media_store
                signing_key_path: "DIR/signing.key"
                registration_shared_secret: "SECRET"
                macaroon_secret_key: "SECRET-macaroon"
                form_secret: "SECRET-form"
                report_stats: false
                enable_registration: false
                trusted_key_servers: []
                suppress_key_server_warning: true
                bcrypt_rounds: 4
                presence:
                  enabled: false
                url_preview_enabled: false
                rc_message: RC
                rc_registration: RC
                rc_registration_token_validity: RC
                rc_login:
                  address: RC
                  account: RC
                  failed_attempts: RC
                rc_joins:
                  local: RC
                  remote: RC
                rc_joins_per_room: RC
                rc_room_creation: RC
                rc_key_requests: RC
                rc_3pid_validation: RC
                rc_invites:
                  per_room: RC
                  per_user: RC
                  per_issuer: RC
                rc_admin_redaction: RC
                """.replace("SERVER", SERVER_NAME).replace("DIR", d).replace("PORT", Integer.toString(port))
                .replace("SECRET", secret).replace("RC", generous));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(runDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
