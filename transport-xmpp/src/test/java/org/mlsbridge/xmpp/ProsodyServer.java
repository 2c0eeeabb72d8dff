package org.mlsbridge.xmpp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Prosody for one test class: the repository's test config (scripts/servers/) in a
 * temporary folder holding data, pid and log, on a free port of 127.0.0.1, run as the
 * {@code prosody} user when we are root (Prosody refuses to run as root). Fails loudly when it
 * cannot start, with the end of Prosody's log.
 */
public final class ProsodyServer implements AutoCloseable {
    public static final String DOMAIN = "localhost";
    public static final String MUC = "conference.localhost";
    public static final String PASSWORD = "secret-for-tests";

    private final Path dir;
    private final Path config;
    private final int port;
    private final boolean root;
    private Process process;

    private ProsodyServer(Path dir, Path config, int port, boolean root) {
        this.dir = dir;
        this.config = config;
        this.port = port;
        this.root = root;
    }

    public static ProsodyServer start() throws Exception {
        Path template = findTemplate();
        Path dir = Files.createTempDirectory("mlsbridge-prosody-");
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("certs"));
        int port = freePort();
        String cfg = Files.readString(template, StandardCharsets.UTF_8)
                .replace("@DIR@", dir.toString())
                .replace("@C2S_PORT@", Integer.toString(port));
        Path config = dir.resolve("prosody.cfg.lua");
        Files.writeString(config, cfg, StandardCharsets.UTF_8);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "prosody:prosody", dir.toString()));
        }
        ProsodyServer s = new ProsodyServer(dir, config, port, root);
        s.launch();
        return s;
    }

    private static Path findTemplate() {
        for (Path p : List.of(Path.of("..", "scripts", "servers", "prosody-test.cfg.lua.template"),
                Path.of("scripts", "servers", "prosody-test.cfg.lua.template"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("scripts/servers/prosody-test.cfg.lua.template not found from "
                + Path.of("").toAbsolutePath());
    }

    private List<String> asProsody(List<String> command) {
        List<String> out = new ArrayList<>();
        if (root) {
            out.addAll(List.of("setpriv", "--reuid=prosody", "--regid=prosody", "--init-groups"));
        }
        out.addAll(command);
        return out;
    }

    private void launch() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/prosody"))) {
            throw new IllegalStateException("Prosody is not installed: run scripts/servers/install-prosody.sh "
                    + "(scripts/test.sh does it)");
        }
        process = new ProcessBuilder(asProsody(List.of("prosody", "--config", config.toString(), "-F")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prosody exited with " + process.exitValue() + ":\n" + logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Prosody did not listen on 127.0.0.1:" + port + " within 20 s:\n" + logTail());
    }

    public void register(String user) throws Exception {
        run(asProsody(List.of("prosodyctl", "--config", config.toString(), "register", user, DOMAIN, PASSWORD)));
    }

    public XmppConfig account(String user) {
        return XmppConfig.of("127.0.0.1", port, DOMAIN, user, PASSWORD).withoutTls();
    }

    /** Starts the server again after {@link #stop}, on the same port with the same data. */
    public void startAgain() throws Exception {
        launch();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    String logTail() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("prosody.log", "stdout.log")) {
            Path p = dir.resolve(name);
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                sb.append("--- ").append(name).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("--- ").append(name).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
