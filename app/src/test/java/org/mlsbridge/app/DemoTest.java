package org.mlsbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path dir;

    @Test
    void demoDeliversEveryMessageAndTheRemovedMemberReadsNothingAfterRemoval() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Demo.Result r = new Demo(dir, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        String transcript = buf.toString(StandardCharsets.UTF_8);
        assertThat(r.lost()).isZero();
        assertThat(r.undecryptable()).isZero();
        assertThat(r.delivered()).isEqualTo(r.sent()).isEqualTo(6);
        assertThat(transcript.strip()).endsWith("demo: 6 sent, 6 delivered, 0 lost, 0 undecryptable");
        assertThat(transcript).doesNotContain("read  dave <- alice: \"Now that dave is gone");
        assertThat(transcript).contains("epoch dave: removed from the group");
    }
}
