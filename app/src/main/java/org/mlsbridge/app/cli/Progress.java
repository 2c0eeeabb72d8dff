package org.mlsbridge.app.cli;

/**
 * Progress of long work, shown on stderr: a status line that each call replaces. Callers
 * {@link #clear()} it before printing results, so that the two never share a line.
 */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void status(String line) {
        }

        @Override
        public void clear() {
        }
    };

    /** Shows what is being done now. */
    void status(String line);

    /** Removes the status line, if one is shown. */
    void clear();

    /** The same progress with every status line starting with {@code prefix}. */
    default Progress prefixed(String prefix) {
        Progress inner = this;
        return new Progress() {
            @Override
            public void status(String line) {
                inner.status(prefix + line);
            }

            @Override
            public void clear() {
                inner.clear();
            }
        };
    }
}
