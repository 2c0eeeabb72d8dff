package org.mlsbridge.xmpp;

import org.mlsbridge.servers.LocalProsody;

/**
 * A private Prosody for one test class ({@link LocalProsody}: a temporary folder, a free port of
 * 127.0.0.1, run as the {@code prosody} user), with one password for every test account. Fails
 * loudly when it cannot start, with the end of Prosody's log.
 */
public final class ProsodyServer implements AutoCloseable {
    public static final String DOMAIN = LocalProsody.DOMAIN;
    public static final String MUC = LocalProsody.MUC;
    public static final String PASSWORD = "secret-for-tests";

    private final LocalProsody server;

    private ProsodyServer(LocalProsody server) {
        this.server = server;
    }

    public static ProsodyServer start() throws Exception {
        return new ProsodyServer(LocalProsody.start());
    }

    public void register(String user) throws Exception {
        server.register(user, PASSWORD);
    }

    public XmppConfig account(String user) {
        return XmppConfig.of("127.0.0.1", server.port(), DOMAIN, user, PASSWORD).withoutTls();
    }

    /** Starts the server again after {@link #stop}, on the same port with the same data. */
    public void startAgain() throws Exception {
        server.startAgain();
    }

    /** The server's process, to measure what it costs. */
    public java.util.Optional<ProcessHandle> process() {
        return server.process();
    }

    public void stop() throws InterruptedException {
        server.stop();
    }

    String logTail() {
        return server.logTail();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
