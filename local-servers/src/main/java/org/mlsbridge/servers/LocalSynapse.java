package org.mlsbridge.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A private Synapse: runs from the cached Debian chroot that scripts/servers/synapse-chroot.sh
 * builds, in a private mount namespace (its own /proc, gone when it exits), listening on a free
 * port of 127.0.0.1 only, with its database in a fresh folder inside the chroot. Users are
 * registered with the run's registration shared secret. Needs root (unshare, chroot).
 */
public final class LocalSynapse implements AutoCloseable {
    public static final String SERVER_NAME = "localhost";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> LOGS = List.of("stdout.log", "homeserver.log");
    private static final Pattern NONCE = Pattern.compile("\"nonce\"\\s*:\\s*\"([A-Za-z0-9]+)\"");
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=/+-]+");

    private final Path root;
    private final Path runDir;
    private final String runDirInChroot;
    private final int port;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private LocalSynapse(Path root) throws IOException {
        this.root = root;
        this.runDir = Files.createTempDirectory(root.resolve("tmp"), "mlsbridge-synapse-");
        this.runDirInChroot = "/" + root.relativize(runDir);
        this.port = Processes.freePort();
        byte[] s = new byte[24];
        new SecureRandom().nextBytes(s);
        this.secret = HexFormat.of().formatHex(s);
        writeConfig();
    }

    /** Starts a new server with empty data, from the chroot at {@link #chroot()}. */
    public static LocalSynapse start() throws LocalServerException, InterruptedException {
        Path root = chroot();
        if (!ready(root)) {
            throw new LocalServerException("no Synapse chroot at " + root + ": run scripts/servers/synapse-chroot.sh as root");
        }
        LocalSynapse s;
        try {
            s = new LocalSynapse(root);
        } catch (IOException e) {
            throw new LocalServerException("cannot prepare Synapse's folder in " + root + ": " + e.getMessage(), e);
        }
        try {
            s.launch();
            return s;
        } catch (LocalServerException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Where scripts/servers/synapse-chroot.sh puts the chroot ($MLSBRIDGE_CACHE or ~/.cache/mlsbridge). */
    public static Path chroot() {
        String cache = System.getenv("MLSBRIDGE_CACHE");
        return (cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "mlsbridge")).resolve("synapse-chroot");
    }

    /** Whether the chroot at {@code root} was built to the end. */
    public static boolean ready(Path root) {
        return Files.isRegularFile(root.resolve(".mlsbridge-ready"));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops the server as a crash of the host would (SIGKILL), keeping its data. */
    public void kill() throws InterruptedException {
        Processes.kill(process);
    }

    /** Stops the server cleanly (SIGTERM, then SIGKILL after 30 s), keeping its data. */
    public void stop() throws InterruptedException {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    /** Starts the server again after {@link #kill} or {@link #stop}, on the same port and data. */
    public void startAgain() throws LocalServerException, InterruptedException {
        launch();
    }

    private void launch() throws LocalServerException, InterruptedException {
        String cfg = runDirInChroot + "/homeserver.yaml";
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount -t proc proc \"$0/proc\" && exec chroot \"$0\" /usr/bin/python3 -m synapse.app.homeserver -c \"$1\"",
                root.toString(), cfg);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("stdout.log").toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LocalServerException("cannot run Synapse: " + e.getMessage(), e);
        }
        Processes.awaitReady(process, "Synapse on " + url(), START_TIMEOUT, this::answers, runDir, LOGS);
    }

    private boolean answers() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve("/_matrix/client/versions"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The end of the server's logs. */
    public String logTail() {
        return Processes.logTail(runDir, LOGS);
    }

    /**
     * Registers {@code localpart} (not an admin) with the shared secret; returns its Matrix user id
     * {@code @localpart:localhost}.
     */
    public String register(String localpart, String password) throws LocalServerException, InterruptedException {
        if (!LOCALPART.matcher(localpart).matches()) {
            throw new IllegalArgumentException("not a Matrix localpart: " + localpart);
        }
        URI reg = url().resolve("/_synapse/admin/v1/register");
        try {
            HttpResponse<String> n = http.send(HttpRequest.newBuilder(reg).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = NONCE.matcher(n.body());
            if (n.statusCode() != 200 || !m.find()) {
                throw new LocalServerException("registering " + localpart + ": no nonce (HTTP " + n.statusCode() + ")");
            }
            String nonce = m.group(1);
            String body = "{\"nonce\":\"" + nonce + "\",\"username\":" + Json.string(localpart) + ",\"password\":"
                    + Json.string(password) + ",\"admin\":false,\"mac\":\"" + mac(nonce, localpart, password) + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(reg)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new LocalServerException("registering " + localpart + ": HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new LocalServerException("registering " + localpart + ": " + e.getMessage(), e);
        }
        return "@" + localpart + ":" + SERVER_NAME;
    }

    /** Synapse's registration MAC: HMAC-SHA1 over nonce, user, password and admin flag, NUL-separated. */
    private String mac(String nonce, String localpart, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String msg = nonce + "\0" + localpart + "\0" + password + "\0notadmin";
            return HexFormat.of().formatHex(mac.doFinal(msg.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /**
     * Rate limits are generous because the tests and the load run play many accounts from one
     * address. {@code gc_thresholds} keeps Synapse from ever asking Python for a full collection:
     * Synapse turns Python's collector off and runs it itself, a full collection after every
     * eleventh increment (about every 150 s under load), and on the chroot's Python 3.14 each
     * full one walked the whole heap and held every request for a few hundred ms. Python 3.14's
     * collector is incremental, so the increments Synapse still runs reach old garbage too.
     */
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
                gc_thresholds: [2000, 10, 1000000000]
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

    /** The running server's process (its children included in {@link ProcessHandle#descendants}), if started. */
    public java.util.Optional<ProcessHandle> process() {
        Process p = process;
        return p == null || !p.isAlive() ? java.util.Optional.empty() : java.util.Optional.of(p.toHandle());
    }

    /** Stops the server and deletes its folder in the chroot. */
    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            Processes.deleteLeftover(runDir);
        }
    }
}
