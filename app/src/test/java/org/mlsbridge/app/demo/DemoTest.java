package org.mlsbridge.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path dir;

    @Test
    void crossNetworkDemoDeliversEveryMessageAndTheRemovedMemberReadsNothingAfterRemoval() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Demo.Result r = new Demo(dir, new PrintStream(buf, true, StandardCharsets.UTF_8), new InMemoryNetworks()).run();
        String transcript = buf.toString(StandardCharsets.UTF_8);
        assertThat(r.lost()).isZero();
        assertThat(r.undecryptable()).isZero();
        assertThat(r.delivered()).isEqualTo(r.sent()).isEqualTo(8);
        assertThat(transcript.strip()).endsWith("demo: 8 sent, 8 delivered, 0 lost, 0 undecryptable");
        // messages crossed both ways: an XMPP member read a Matrix member and the other way round
        assertThat(transcript).contains("read  alice <- carol: \"Hi from Matrix!",
                "read  carol <- alice: \"Hello everyone");
        assertThat(transcript).contains("wire  xmpp  ", "wire  matrix ");
        assertThat(transcript).doesNotContain("read  dave <- alice: \"Now that dave is gone");
        assertThat(transcript).contains("epoch dave: removed from the group");
        assertThat(transcript).contains("read  erin <- bob: \"Welcome erin.\"");
        assertThat(transcript).doesNotContain("read  erin <- alice");
        // what crossed either network is ciphertext: no plaintext on the wire lines
        assertThat(transcript.lines().filter(l -> l.startsWith("  wire")).filter(l -> l.contains("plan")))
                .isEmpty();
        assertThat(dir.resolve("demo.key")).exists();
        assertThat(Files.list(dir).filter(f -> f.toString().endsWith(".db")).count()).isEqualTo(7);
    }
}
