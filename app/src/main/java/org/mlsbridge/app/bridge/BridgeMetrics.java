package org.mlsbridge.app.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.mlsbridge.app.metrics.MetricsSource;
import org.mlsbridge.bridge.manager.Counters;
import org.mlsbridge.bridge.relay.BridgeRelay;
import org.mlsbridge.bridge.relay.RoomSide;

/**
 * The bridge on the metrics endpoint (one source): the bot's counters (drops by reason, epochs),
 * the relays' counters (read live: they are atomic), and each room's epoch and member count by the
 * bot's view (its public view, or in member mode its own group state), as the loop last saw them,
 * and the KeyPackage level of the bridge's account on each network ({@link KeyPackageLevels}).
 */
final class BridgeMetrics implements MetricsSource {
    private final String name;
    private final Counters counters;
    private final List<BridgeRelay> relays;
    private final KeyPackageLevels keyPackageLevels;
    private volatile List<RoomStatus> rooms = List.of();
    private volatile boolean healthy = true;
    private final java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();

    BridgeMetrics(String name, Counters counters, List<BridgeRelay> relays, KeyPackageLevels keyPackageLevels) {
        this.name = name;
        this.counters = counters;
        this.relays = List.copyOf(relays);
        this.keyPackageLevels = keyPackageLevels;
    }

    /**
     * Reads the KeyPackage levels if a minute has passed since the last read; a failed read is
     * counted as an error. Called by the loop's thread.
     */
    void refreshKeyPackages(long nowNanos) {
        errors.addAndGet(keyPackageLevels.refreshIfDue(nowNanos));
    }

    /** Called by the loop's thread, the only one that may read the bot's store. */
    void refresh(BridgeBot bot) {
        List<RoomStatus> out = new ArrayList<>();
        for (BridgeRelay r : relays) {
            List<RoomSide> sides = r.sides();
            long epoch = bot.epoch(sides.get(0).room());
            int members = bot.members(sides.get(0).room());
            for (RoomSide s : sides) {
                out.add(new RoomStatus(s.room().value(), epoch, members));
            }
        }
        rooms = List.copyOf(out);
    }

    void error() {
        errors.incrementAndGet();
    }

    void setHealthy(boolean ok) {
        healthy = ok;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public List<RoomStatus> rooms() {
        return rooms;
    }

    /** Not reported as one number: the bridge has an account on each network, see {@link #keyPackagesByNetwork}. */
    @Override
    public OptionalInt keyPackagesAvailable() {
        return OptionalInt.empty();
    }

    @Override
    public Map<String, Integer> keyPackagesByNetwork() {
        return keyPackageLevels.levels();
    }

    @Override
    public long messagesRelayed() {
        return relays.stream().mapToLong(r -> r.counters().relayed()).sum();
    }

    @Override
    public long handshakesSequenced() {
        return relays.stream().mapToLong(r -> r.counters().sequenced()).sum();
    }

    @Override
    public long welcomesForwarded() {
        return relays.stream().mapToLong(r -> r.counters().welcomesForwarded()).sum();
    }

    @Override
    public long relayRefused() {
        return relays.stream().mapToLong(r -> r.counters().refused()).sum();
    }

    @Override
    public long errors() {
        return errors.get() + relays.stream().mapToLong(r -> r.counters().sendFailures()).sum();
    }

    @Override
    public boolean healthy() {
        return healthy;
    }
}
