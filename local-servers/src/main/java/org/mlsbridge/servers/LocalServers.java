package org.mlsbridge.servers;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A private Prosody and a private Synapse together, started at once, stopped and their folders
 * deleted by {@link #close} or, if the program is interrupted first (Ctrl-C, SIGTERM), when the
 * JVM shuts down.
 */
public final class LocalServers implements AutoCloseable {
    private final LocalProsody prosody;
    private final LocalSynapse synapse;
    private final Thread onExit;

    private LocalServers(LocalProsody prosody, LocalSynapse synapse) {
        this.prosody = prosody;
        this.synapse = synapse;
        this.onExit = Thread.ofPlatform().unstarted(this::stopQuietly);
    }

    /** Starts both servers (in parallel: each takes seconds); if either fails, neither is left running. */
    public static LocalServers start() throws LocalServerException, InterruptedException {
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<LocalProsody> p = exec.submit(LocalProsody::start);
            Future<LocalSynapse> s = exec.submit(LocalSynapse::start);
            LocalProsody prosody = null;
            try {
                prosody = p.get();
                LocalServers servers = new LocalServers(prosody, s.get());
                Runtime.getRuntime().addShutdownHook(servers.onExit);
                return servers;
            } catch (ExecutionException e) {
                if (prosody != null) {
                    prosody.close();
                } else {
                    closeWhenStarted(s);
                }
                throw e.getCause() instanceof LocalServerException l ? l
                        : new LocalServerException("starting the local servers: " + e.getCause(), e.getCause());
            }
        }
    }

    private static void closeWhenStarted(Future<LocalSynapse> s) throws InterruptedException {
        try {
            s.get().close();
        } catch (ExecutionException failedToo) {
            // it stopped itself when it failed
        }
    }

    public LocalProsody prosody() {
        return prosody;
    }

    public LocalSynapse synapse() {
        return synapse;
    }

    private void stopQuietly() {
        try {
            close(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops both servers and deletes their data. */
    @Override
    public void close() throws InterruptedException {
        close(true);
    }

    private void close(boolean removeHook) throws InterruptedException {
        if (removeHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: closing twice is harmless
            }
        }
        try {
            prosody.close();
        } finally {
            synapse.close();
        }
    }
}
