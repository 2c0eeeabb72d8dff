package org.mlsbridge.app.cli;

import java.io.PrintStream;

/** A status line rewritten in place ({@code \r} and erase to end of line), for a terminal. */
final class TerminalProgress implements Progress {
    /** Longer lines would wrap on a narrow terminal, and then {@code \r} no longer reaches their start. */
    private static final int MAX_WIDTH = 79;
    private static final String ERASE_LINE = "\r\033[K";

    private final PrintStream err;
    private boolean shown;

    TerminalProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void status(String line) {
        String text = line.length() > MAX_WIDTH ? line.substring(0, MAX_WIDTH - 1) + "…" : line;
        err.print(ERASE_LINE + text);
        err.flush();
        shown = true;
    }

    @Override
    public synchronized void clear() {
        if (shown) {
            err.print(ERASE_LINE);
            err.flush();
            shown = false;
        }
    }
}
