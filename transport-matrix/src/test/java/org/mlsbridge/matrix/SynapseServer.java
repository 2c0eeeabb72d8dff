package org.mlsbridge.matrix;

import java.net.URI;
import java.nio.file.Path;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.servers.LocalSynapse;

/**
 * A Synapse of our own for tests ({@link LocalSynapse}: the cached chroot, a private mount
 * namespace, a free port of 127.0.0.1, a fresh database). Users are registered with the run's
 * shared secret. Fails loudly if anything is missing.
 */
public final class SynapseServer implements AutoCloseable {
    public static final String SERVER_NAME = LocalSynapse.SERVER_NAME;

    private final LocalSynapse server;

    private SynapseServer(LocalSynapse server) {
        this.server = server;
    }

    /** Starts a new server with empty data. */
    public static SynapseServer start() throws Exception {
        return new SynapseServer(LocalSynapse.start());
    }

    /** Where scripts/servers/synapse-chroot.sh puts the chroot ($MLSBRIDGE_CACHE or ~/.cache/mlsbridge). */
    static Path chroot() {
        Path root = LocalSynapse.chroot();
        if (!LocalSynapse.ready(root)) {
            throw new IllegalStateException("no Synapse chroot at " + root
                    + ": run scripts/servers/synapse-chroot.sh (scripts/test.sh does this before Maven)");
        }
        return root;
    }

    public URI url() {
        return server.url();
    }

    /** Stops the server (as a crash of the host would: SIGKILL), keeping its data. */
    public void kill() throws InterruptedException {
        server.kill();
    }

    /** The server's process, to measure what it costs. */
    public java.util.Optional<ProcessHandle> process() {
        return server.process();
    }

    /** Stops the server cleanly (SIGTERM), keeping its data. */
    public void stop() throws InterruptedException {
        server.stop();
    }

    /** Starts the stopped server again on the same port and data. */
    void restart() throws Exception {
        server.stop();
        server.startAgain();
    }

    /** Starts the server again after {@link #kill} or {@link #stop}. */
    public void startAgain() throws Exception {
        server.startAgain();
    }

    /** Registers {@code localpart} with the shared secret; returns its identity URI. */
    public UserId register(String localpart, String password) throws Exception {
        return MatrixIds.user(server.register(localpart, password));
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
