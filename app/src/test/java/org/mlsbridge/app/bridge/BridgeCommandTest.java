package org.mlsbridge.app.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.Main;
import org.mlsbridge.app.cli.CommandIo;

/** What the bridge command refuses before it runs: one line each, exit 2 (configuration) or 1 (start). */
class BridgeCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(new CommandIo(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
    }

    private java.util.List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("note: ")).toList();
    }

    private Path config(String botMode, int xmppPort) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                xmpp:
                  jid: bridge@localhost
                  host: 127.0.0.1
                  port: %d
                  password-file: pw
                matrix:
                  homeserver: http://127.0.0.1:%d
                  user-id: "@bridge:localhost"
                  password-file: pw
                bridge:
                  database: bridge.db
                  key-encryption-key-file: bridge.kek
                  bot-mode: %s
                  rooms:
                    - xmpp: lounge@conference.localhost
                      matrix: "!abc:localhost"
                """.formatted(xmppPort, xmppPort, botMode));
        return file;
    }

    @Test
    void aFileWithoutTheBridgeSections() throws Exception {
        Path file = dir.resolve("client-only.yaml");
        Files.writeString(dir.resolve("pw"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("pw"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "matrix:\n  homeserver: http://127.0.0.1:8008\n  user-id: \"@a:localhost\"\n"
                + "  password-file: pw\nclient:\n  network: matrix\n  room: \"!abc:localhost\"\n");
        assertThat(run("bridge", "--config", file.toString())).isEqualTo(2);
        assertThat(errLines()).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain("Exception"))
                .anySatisfy(l -> assertThat(l).contains("bridge: the section is missing"))
                .anySatisfy(l -> assertThat(l).contains("xmpp: the section is missing"));
    }

    @Test
    void aServerThatIsNotThereIsOneLineAndExitOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(run("bridge", "--config", config("external-sender", closed).toString())).isEqualTo(1);
        assertThat(errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("mlsbridge bridge: cannot sign in"));
    }
}
