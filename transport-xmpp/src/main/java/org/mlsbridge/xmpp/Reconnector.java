package org.mlsbridge.xmpp;

import java.io.IOException;
import java.time.Duration;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a lost connection in again, for as long as the transport is open.
 *
 * <p>Smack's own ReconnectionManager stops trying when a reconnect is itself cut while the stream
 * opens or the login runs (XmppReconnectTest shows it): the member then stays offline, silent and
 * behind for good. Here one thread makes every attempt and, after each, looks again whether the
 * connection is logged in, so a loss at any moment (before, during or right after an attempt) leads
 * to the next one. It also looks every few seconds without being told, so no missed signal can
 * leave it waiting.
 */
final class Reconnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
    /** How often the connection is looked at when no loss was signalled. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** The wait before attempt n is n times this, up to {@link #MAX_DELAY}. */
    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final XMPPTCPConnection connection;
    private final String who;
    private final Object lock = new Object();
    private boolean lossSignalled; // guarded by lock
    private volatile boolean stopped;
    private Thread thread;

    Reconnector(XMPPTCPConnection connection, String who) {
        this.connection = connection;
        this.who = who;
    }

    /** Starts watching; call once the first login succeeded. */
    synchronized void start() {
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                signalLoss();
            }
        });
        thread = Thread.ofVirtual().name("xmpp-reconnect-" + who).start(this::run);
    }

    private void signalLoss() {
        synchronized (lock) {
            lossSignalled = true;
            lock.notifyAll();
        }
    }

    private void run() {
        try {
            while (!stopped) {
                awaitLossOrCheck();
                for (int attempt = 1; !stopped && !connection.isAuthenticated(); attempt++) {
                    Thread.sleep(delayBefore(attempt).toMillis());
                    if (!stopped) {
                        attempt(attempt);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    static Duration delayBefore(int attempt) {
        Duration d = FIRST_DELAY.multipliedBy(attempt);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    private void awaitLossOrCheck() throws InterruptedException {
        synchronized (lock) {
            if (!lossSignalled) {
                lock.wait(CHECK_EVERY.toMillis());
            }
            lossSignalled = false;
        }
    }

    private void attempt(int attempt) throws InterruptedException {
        try {
            try {
                connection.connect();
            } catch (SmackException.AlreadyConnectedException e) {
                // the stream is up; only the login is missing
            }
            connection.login();
            LOG.info("reconnected: user={} attempt={} resumed={}", who, attempt, connection.streamWasResumed());
        } catch (SmackException.AlreadyLoggedInException e) {
            // logged in meanwhile: nothing to do
        } catch (SmackException | IOException | XMPPException | RuntimeException e) {
            LOG.info("reconnect failed, retrying: user={} attempt={} reason={}", who, attempt, e.toString());
            if (connection.isConnected() && !connection.isAuthenticated()) {
                // a half-done login is dropped, so that the next attempt starts from a new stream
                connection.instantShutdown();
            }
        }
    }

    /** Stops trying and waits for an attempt in progress to end. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(MAX_DELAY.toMillis());
        }
    }
}
