package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.Main;
import org.mlsbridge.app.cli.CommandIo;

/** Bad configurations end the client before it connects: one line per problem, exit 2. */
class ClientCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(new CommandIo(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingFile() {
        assertThat(run("client", "--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
        assertThat(err().lines().toList()).singleElement().satisfies(l -> assertThat(l).contains("none.yaml",
                "no such file"));
    }

    @Test
    void aFileWithoutAClientSection() throws Exception {
        Path file = dir.resolve("bridge-only.yaml");
        Files.writeString(file, "matrix:\n  homeserver: http://127.0.0.1:8008\n  user-id: \"@a:localhost\"\n"
                + "  password-file: pw\n");
        Files.writeString(dir.resolve("pw"), "secret\n");
        assertThat(run("client", "--config", file.toString())).isEqualTo(2);
        assertThat(err().lines().filter(l -> !l.startsWith("note: ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("client: the section is missing"));
    }

    @Test
    void everyProblemOnItsOwnLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "client:\n  network: irc\n  room: lounge@muc.example.org\n  colour: blue\n");
        assertThat(run("client", "--config", file.toString())).isEqualTo(2);
        assertThat(err().lines().toList()).hasSize(2).anySatisfy(l -> assertThat(l).contains("client.network"))
                .anySatisfy(l -> assertThat(l).contains("client.colour", "unknown key"));
        assertThat(err()).doesNotContain("Exception", "\tat ");
    }
}
