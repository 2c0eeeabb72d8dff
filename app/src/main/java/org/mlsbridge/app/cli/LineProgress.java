package org.mlsbridge.app.cli;

import java.io.PrintStream;

/** One line per status, for a log file or a pipe (where {@code \r} would only clutter). */
final class LineProgress implements Progress {
    private final PrintStream err;

    LineProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void status(String line) {
        err.println(line);
    }

    @Override
    public void clear() {
    }
}
