package org.mlsbridge.app.load;

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

/** {@code mlsbridge load}: every bad flag or configuration is one line and exit 2, before any work. */
class LoadCommandTest {
    @TempDir
    Path dir;

    private String err;

    private int run(String... args) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = Main.run(new CommandIo(new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), false), args);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private Path config(String text) throws Exception {
        Files.writeString(dir.resolve("pw"), "load-password\n");
        Files.writeString(dir.resolve("secret"), "shared\n");
        Path p = dir.resolve("load.yaml");
        Files.writeString(p, text);
        return p;
    }

    private static final String GOOD = """
            xmpp:
              host: 127.0.0.1
              port: 5222
              domain: localhost
              muc: conference.localhost
              password-file: pw
              register-command: [prosodyctl, register]
            matrix:
              homeserver: http://127.0.0.1:8008
              server-name: localhost
              password-file: pw
              registration-shared-secret-file: secret
            load:
              members-per-network: 3
              messages: 50
              rate: 5
              block-messages: 20
            """;

    private void assertUsage(int code, String mentions) {
        assertThat(code).isEqualTo(2);
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(err).contains(mentions);
    }

    @Test
    void aGoodConfigurationIsReadWithTheFlagsApplied() throws Exception {
        LoadCommand c = new LoadCommand(new CommandIo(System.out, System.err, false));
        c.config = config(GOOD);
        c.rate = 7.5;
        LoadConfig read = c.validate();
        assertThat(read.settings().blockMessages()).as("from the file").isEqualTo(20);
        c.blockMessages = 25;
        assertThat(c.validate().settings().blockMessages()).as("the flag wins").isEqualTo(25);
        assertThat(read.settings().membersPerNetwork()).isEqualTo(3);
        assertThat(read.settings().messages()).isEqualTo(50);
        assertThat(read.settings().rate()).isEqualTo(7.5);
        assertThat(read.xmpp().password().reveal()).isEqualTo("load-password");
        assertThat(read.xmpp().tls()).as("loopback: no TLS unless asked").isFalse();
        assertThat(read.xmpp().registerCommand()).containsExactly("prosodyctl", "register");
        assertThat(read.matrix().registrationSecret().reveal()).isEqualTo("shared");
        assertThat(read.toString()).doesNotContain("load-password").doesNotContain("shared");
    }

    @Test
    void badFlagsAreOneLineAndExit2() throws Exception {
        Path good = config(GOOD);
        assertUsage(run("load"), "--config");
        assertUsage(run("load", "--config", dir.resolve("missing.yaml").toString()), "no such file");
        assertUsage(run("load", "--config", good.toString(), "--messages", "0"), "messages");
        assertUsage(run("load", "--config", good.toString(), "--rate", "-1"), "rate");
        assertUsage(run("load", "--config", good.toString(), "--members-per-network", "x"), "members-per-network");
        assertUsage(run("load", "--config", good.toString(), "--bogus"), "--bogus");
        assertUsage(run("load", "--config", good.toString(), "--drain-timeout-seconds", "0"), "drain timeout");
        assertUsage(run("load", "--config", good.toString(), "--block-messages", "0"), "block messages");
        assertUsage(run("load", "--config", good.toString(), "--local-servers"), "one of");
        assertUsage(run("load", "--config", good.toString(), "--json", dir.resolve("no/such/dir/r.json").toString()),
                "--json");
        assertUsage(run("load", "--config", good.toString(), "--trace", dir.toString()), "--trace");
    }

    @Test
    void badConfigurationsNameEveryProblemInOneLine() throws Exception {
        Path bad = config(GOOD.replace("port: 5222", "port: many").replace("homeserver: http://127.0.0.1:8008",
                "homeserver: ftp://x").replace("password-file: pw\n  register", "password-file: nope\n  register")
                + "  colour: blue\n");
        assertUsage(run("load", "--config", bad.toString()), "xmpp.port");
        assertThat(err).contains("matrix.homeserver").contains("xmpp.password-file").contains("load.colour");
        assertUsage(run("load", "--config", config("just text").toString()), "sections");
        assertUsage(run("load", "--config", config(GOOD.replace("rate: 5", "rate: 0")).toString()), "load.rate");
    }
}
