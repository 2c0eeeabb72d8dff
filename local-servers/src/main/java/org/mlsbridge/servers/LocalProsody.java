package org.mlsbridge.servers;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Prosody: the packaged configuration ({@code prosody.cfg.lua.template}) in a
 * temporary folder holding data, pid and log, on a free port of 127.0.0.1, run as the
 * {@code prosody} user when we are root (Prosody refuses to run as root). Accounts are made with
 * {@code prosodyctl}. Prosody itself comes from Debian's package
 * (scripts/servers/install-prosody.sh, see {@link ServerInstaller}).
 */
public final class LocalProsody implements AutoCloseable {
    public static final String DOMAIN = "localhost";
    public static final String MUC = "conference.localhost";
    private static final Path PROSODY = Path.of("/usr/bin/prosody");
    private static final List<String> LOGS = List.of("prosody.log", "stdout.log");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Path config;
    private final int port;
    private final boolean root;
    private Process process;

    private LocalProsody(Path dir, Path config, int port, boolean root) {
        this.dir = dir;
        this.config = config;
        this.port = port;
        this.root = root;
    }

    /** Whether Prosody is installed where {@link #start} runs it from. */
    public static boolean installed() {
        return Files.isExecutable(PROSODY);
    }

    /** Starts a new server with empty data in a new temporary folder. */
    public static LocalProsody start() throws LocalServerException, InterruptedException {
        if (!installed()) {
            throw new LocalServerException("Prosody is not installed: run scripts/servers/install-prosody.sh as root");
        }
        Path dir;
        LocalProsody s;
        try {
            dir = Files.createTempDirectory("mlsbridge-prosody-");
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("certs"));
            int port = Processes.freePort();
            Path config = dir.resolve("prosody.cfg.lua");
            Files.writeString(config, template().replace("@DIR@", dir.toString())
                    .replace("@C2S_PORT@", Integer.toString(port)), StandardCharsets.UTF_8);
            s = new LocalProsody(dir, config, port, Processes.isRoot());
        } catch (IOException e) {
            throw new LocalServerException("cannot prepare Prosody's folder: " + e.getMessage(), e);
        }
        try {
            if (s.root) {
                Processes.run(List.of("chown", "-R", "prosody:prosody", dir.toString()), Duration.ofSeconds(30));
            }
            s.launch();
            return s;
        } catch (LocalServerException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static String template() throws IOException {
        try (InputStream in = LocalProsody.class.getResourceAsStream("prosody.cfg.lua.template")) {
            if (in == null) {
                throw new IOException("prosody.cfg.lua.template is missing from the local-servers jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> asProsody(List<String> command) {
        List<String> out = new ArrayList<>();
        if (root) {
            out.addAll(List.of("setpriv", "--reuid=prosody", "--regid=prosody", "--init-groups"));
        }
        out.addAll(command);
        return out;
    }

    private void launch() throws LocalServerException, InterruptedException {
        try {
            process = new ProcessBuilder(asProsody(List.of(PROSODY.toString(), "--config", config.toString(), "-F")))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new LocalServerException("cannot run Prosody: " + e.getMessage(), e);
        }
        Processes.awaitReady(process, "Prosody on 127.0.0.1:" + port, START_TIMEOUT, this::listening, dir, LOGS);
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Creates the account {@code user@localhost} (or sets its password, if it exists). */
    public void register(String user, String password) throws LocalServerException, InterruptedException {
        Processes.run(asProsody(List.of("prosodyctl", "--config", config.toString(), "register", user, DOMAIN,
                password)), "prosodyctl register " + user + " " + DOMAIN, Duration.ofSeconds(30));
    }

    /** The running server's process (its children included in {@link ProcessHandle#descendants}), if started. */
    public java.util.Optional<ProcessHandle> process() {
        Process p = process;
        return p == null || !p.isAlive() ? java.util.Optional.empty() : java.util.Optional.of(p.toHandle());
    }

    /** The client-to-server port on 127.0.0.1 (plain text: no TLS on loopback). */
    public int port() {
        return port;
    }

    /** The folder holding the configuration, data, pid and log. */
    public Path directory() {
        return dir;
    }

    /** Starts the server again after {@link #stop} or {@link #kill}, on the same port with the same data. */
    public void startAgain() throws LocalServerException, InterruptedException {
        launch();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s), keeping its data. */
    public void stop() throws InterruptedException {
        Processes.stop(process, Duration.ofSeconds(10));
    }

    /** Stops the server as a crash would (SIGKILL), keeping its data. */
    public void kill() throws InterruptedException {
        Processes.kill(process);
    }

    /** The end of the server's logs. */
    public String logTail() {
        return Processes.logTail(dir, LOGS);
    }

    /** Stops the server and deletes its folder. */
    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            Processes.deleteLeftover(dir);
        }
    }
}
