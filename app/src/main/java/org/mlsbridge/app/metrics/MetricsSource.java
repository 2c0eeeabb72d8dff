package org.mlsbridge.app.metrics;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.mlsbridge.bridge.manager.Counters;

/**
 * What one client or bot shows on the metrics endpoint. Read on the endpoint's thread, so every
 * method must be safe to call from there and must not block on the network: {@link Counters} are
 * thread-safe; rooms and the KeyPackage level are best kept as snapshots that the owner's loop
 * refreshes ({@link SourceSnapshot} does that).
 */
public interface MetricsSource {
    /** The label that tells sources apart, e.g. the account URI {@code xmpp:bridge@example.org}. */
    String name();

    /** The manager's counters: messages in and out, drops by reason, rejected commits, epochs. */
    Counters counters();

    /** Each followed room's epoch and MLS member count. */
    List<RoomStatus> rooms();

    /** One-time KeyPackages published and not yet claimed, if known. */
    OptionalInt keyPackagesAvailable();

    /**
     * A bridge's one-time KeyPackages unclaimed on each network's server, by network name
     * ({@code xmpp}, {@code matrix}), as last read; empty for a client or when unknown.
     */
    default Map<String, Integer> keyPackagesByNetwork() {
        return Map.of();
    }

    /** MLS messages relayed from one room into another (a bridge; 0 for a client). */
    default long messagesRelayed() {
        return 0;
    }

    /** Handshake messages a bridge posted into both rooms of a pair, in the pair's order (0 for a client). */
    default long handshakesSequenced() {
        return 0;
    }

    /** Welcomes a bridge carried to a joiner on the other network (0 for a client). */
    default long welcomesForwarded() {
        return 0;
    }

    /** Room messages a bridge refused to relay: not MLS, or a new leaf in someone else's name (0 for a client). */
    default long relayRefused() {
        return 0;
    }

    /** Failures of the owner's loop (network, store) since start. */
    default long errors() {
        return 0;
    }

    /** False when the owner cannot do its work (e.g. disconnected for long): {@code /health} answers 503. */
    default boolean healthy() {
        return true;
    }

    /** One room as the source sees it. */
    record RoomStatus(String room, long epoch, int members) {
    }
}
