package org.mlsbridge.app.cli;

import java.io.PrintStream;

/**
 * Where a command writes: results to {@code out}, errors and progress to {@code err}.
 * {@code errIsTerminal} says whether {@code err} is an interactive terminal, which decides
 * whether progress is shown by default; the launcher finds it out ({@code [ -t 2 ]}), because
 * the JDK cannot tell for stderr alone.
 */
public record CommandIo(PrintStream out, PrintStream err, boolean errIsTerminal) {
    /** The system property the launcher sets to {@code true} when stderr is a terminal. */
    public static final String STDERR_TERMINAL_PROPERTY = "mlsbridge.stderr.terminal";

    public static CommandIo system() {
        return new CommandIo(System.out, System.err, Boolean.getBoolean(STDERR_TERMINAL_PROPERTY));
    }

    /** Progress for long work: shown when stderr is a terminal, or when {@code flag} asks for it. */
    public Progress progress(Boolean flag) {
        boolean show = flag == null ? errIsTerminal : flag;
        if (!show) {
            return Progress.NONE;
        }
        return errIsTerminal ? new TerminalProgress(err) : new LineProgress(err);
    }
}
