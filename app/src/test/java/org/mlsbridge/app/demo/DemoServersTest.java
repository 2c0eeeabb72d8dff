package org.mlsbridge.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mlsbridge.app.Main;
import org.mlsbridge.app.cli.CommandIo;

/** {@code mlsbridge demo --servers} end to end: its own Prosody and Synapse, the same script, nothing lost. */
class DemoServersTest {
    @Test
    void theScriptedConversationRunsOverALocalProsodyAndSynapse() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new CommandIo(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), "demo", "--servers");
        String transcript = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr: %s%ntranscript:%n%s", err, transcript).isZero();
        assertThat(transcript.strip()).endsWith("demo: 8 sent, 8 delivered, 0 lost, 0 undecryptable");
        assertThat(transcript).contains("a local Prosody (127.0.0.1:", "XMPP room lounge@conference.localhost",
                "Matrix room !");
        assertThat(transcript).contains("read  alice <- carol: \"Hi from Matrix!", "read  carol <- alice: \"Hello everyone",
                "epoch dave: removed from the group", "read  erin <- bob: \"Welcome erin.\"");
        assertThat(transcript).doesNotContain("read  dave <- alice: \"Now that dave is gone", "not settled");
        assertThat(transcript.lines().filter(l -> l.startsWith("  wire")).filter(l -> l.contains("plan"))).isEmpty();
    }
}
