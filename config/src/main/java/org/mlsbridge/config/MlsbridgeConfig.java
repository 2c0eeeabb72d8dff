package org.mlsbridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated configuration: each section is present if the file (or the environment) has it.
 * {@link #forBridge()} and {@link #forClient()} check that what a command needs is there.
 */
public record MlsbridgeConfig(String source, Optional<BridgeSettings> bridge, Optional<XmppAccount> xmpp,
        Optional<MatrixAccount> matrix, Optional<ClientSettings> client) {

    /** What the bridge runs on: its own section and both accounts. */
    public record ForBridge(BridgeSettings bridge, XmppAccount xmpp, MatrixAccount matrix) {
    }

    /** What the client runs on: its section and the account it names. */
    public record ForClient(ClientSettings client, Optional<XmppAccount> xmpp, Optional<MatrixAccount> matrix) {
    }

    public ForBridge forBridge() throws ConfigException {
        List<Problem> missing = new ArrayList<>();
        if (bridge.isEmpty()) {
            missing.add(new Problem("bridge", "the section is missing; the bridge needs it",
                    "add a 'bridge:' section with database, key-encryption-key-file and rooms "
                            + "(see config/examples/mlsbridge.example.yaml)"));
        }
        for (Network n : Network.values()) {
            boolean present = n == Network.XMPP ? xmpp.isPresent() : matrix.isPresent();
            if (!present) {
                missing.add(new Problem(n.yaml(), "the section is missing; the bridge needs an account on each network",
                        "add a '" + n.yaml() + ":' section with the bridge's account"));
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(source, missing);
        }
        return new ForBridge(bridge.orElseThrow(), xmpp.orElseThrow(), matrix.orElseThrow());
    }

    public ForClient forClient() throws ConfigException {
        if (client.isEmpty()) {
            throw new ConfigException(source, List.of(new Problem("client", "the section is missing; the client needs it",
                    "add a 'client:' section with network (xmpp or matrix) and room")));
        }
        return new ForClient(client.orElseThrow(), xmpp, matrix);
    }
}
