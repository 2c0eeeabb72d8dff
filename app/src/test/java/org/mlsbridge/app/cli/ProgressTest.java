package org.mlsbridge.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CommandIo io(boolean terminal) {
        PrintStream s = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandIo(new PrintStream(PrintStream.nullOutputStream()), s, terminal);
    }

    private String shown() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nothingWhenStderrIsNotATerminalAndNoFlag() {
        Progress p = io(false).progress(null);
        p.status("working");
        p.clear();
        assertThat(shown()).isEmpty();
    }

    @Test
    void linesWhenAskedForWithoutATerminal() {
        Progress p = io(false).progress(true).prefixed("bench ");
        p.status("N=2");
        p.status("N=16");
        assertThat(shown()).isEqualTo("bench N=2" + System.lineSeparator() + "bench N=16" + System.lineSeparator());
    }

    @Test
    void oneRewrittenLineOnATerminalClearedBeforeResults() {
        Progress p = io(true).progress(null);
        p.status("N=2");
        p.status("x".repeat(200));
        p.clear();
        p.clear();
        String s = shown();
        assertThat(s).startsWith("\r\033[KN=2\r\033[K").endsWith("…\r\033[K").doesNotContain("\n");
        assertThat(s.split("\r\033\\[K")).allMatch(part -> part.length() <= 79);
    }

    @Test
    void offOnATerminalWhenTurnedOff() {
        io(true).progress(false).status("hidden");
        assertThat(shown()).isEmpty();
    }
}
