package org.mlsbridge.matrix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.mlsbridge.bridge.transport.UserId;

/** Accounts (unique per world, so tests sharing a server never meet) and connections for one test. */
final class MatrixWorld implements AutoCloseable {
    final SynapseServer synapse;
    final MatrixConnector connector;
    private final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final Map<String, MatrixAccount> accounts = new HashMap<>();
    private final List<MatrixTransport> opened = new ArrayList<>();

    MatrixWorld(SynapseServer synapse) {
        this(synapse, new RetryPolicy(12, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30)));
    }

    MatrixWorld(SynapseServer synapse, RetryPolicy policy) {
        this.synapse = synapse;
        this.connector = new MatrixConnector(policy);
    }

    /** The account {@code name} of this world, registered on first use. */
    synchronized MatrixAccount account(String name) throws Exception {
        MatrixAccount a = accounts.get(name);
        if (a == null) {
            String localpart = (name + "-" + tag).toLowerCase(Locale.ROOT);
            String password = "pw-" + localpart;
            UserId user = synapse.register(localpart, password);
            a = new MatrixAccount(synapse.url(), user, password);
            accounts.put(name, a);
        }
        return a;
    }

    UserId user(String name) throws Exception {
        return account(name).user();
    }

    /** A new connection of {@code name}, logged in. */
    synchronized MatrixTransport connect(String name) throws Exception {
        return connect(name, MatrixAccount.DEFAULT_DEVICE_ID);
    }

    /** A new connection of {@code name} as {@code device}, logged in. */
    synchronized MatrixTransport connect(String name, String device) throws Exception {
        MatrixTransport t = connector.connect(account(name).withDevice(device));
        t.login();
        opened.add(t);
        return t;
    }

    /** Retried requests over every connection this world opened. */
    synchronized long retries() {
        return opened.stream().mapToLong(MatrixTransport::retries).sum();
    }

    @Override
    public void close() {
        for (MatrixTransport t : opened) {
            t.close();
        }
        connector.close();
    }
}
