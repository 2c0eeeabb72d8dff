package org.mlsbridge.xmpp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A plain socket that says, once, when reading from it has ended: the end of the stream or an I/O
 * error. Smack learns of a lost connection from its reader thread too, but while the stream is
 * still being opened it does not tell its waiting login about it (that waits out the reply
 * timeout); this is how the transport finds out at once.
 */
final class WatchedSocket extends java.net.Socket {
    private final Consumer<WatchedSocket> onReadEnded;
    private final AtomicBoolean ended = new AtomicBoolean();
    private InputStream watched; // guarded by this

    WatchedSocket(Consumer<WatchedSocket> onReadEnded) {
        this.onReadEnded = onReadEnded;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (watched == null) {
            watched = new Watched(super.getInputStream());
        }
        return watched;
    }

    private void readEnded() {
        if (ended.compareAndSet(false, true)) {
            onReadEnded.accept(this);
        }
    }

    private final class Watched extends FilterInputStream {
        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                readEnded();
                throw e;
            }
            if (b < 0) {
                readEnded();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(buf, off, len);
            } catch (IOException e) {
                readEnded();
                throw e;
            }
            if (n < 0) {
                readEnded();
            }
            return n;
        }
    }
}
