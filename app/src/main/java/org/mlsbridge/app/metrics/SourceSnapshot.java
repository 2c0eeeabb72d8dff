package org.mlsbridge.app.metrics;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.mlsbridge.bridge.manager.Counters;

/**
 * A {@link MetricsSource} fed by its owner's loop: the loop (which alone may touch its
 * MemberClient or bot) calls {@link #update} after each turn and {@link #error} on a failure; the
 * endpoint reads the last values. Thread-safe.
 */
public final class SourceSnapshot implements MetricsSource {
    private final String name;
    private final Counters counters;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile List<RoomStatus> rooms = List.of();
    private volatile OptionalInt keyPackages = OptionalInt.empty();
    private volatile boolean healthy = true;

    public SourceSnapshot(String name, Counters counters) {
        this.name = Objects.requireNonNull(name, "name");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The rooms' state and the KeyPackage level as of now. */
    public void update(List<RoomStatus> newRooms, OptionalInt keyPackagesAvailable) {
        this.rooms = List.copyOf(newRooms);
        this.keyPackages = Objects.requireNonNull(keyPackagesAvailable, "keyPackagesAvailable");
    }

    public void relayed(long messages) {
        relayed.addAndGet(messages);
    }

    public void error() {
        errors.incrementAndGet();
    }

    public void setHealthy(boolean ok) {
        this.healthy = ok;
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

    @Override
    public OptionalInt keyPackagesAvailable() {
        return keyPackages;
    }

    @Override
    public long messagesRelayed() {
        return relayed.get();
    }

    @Override
    public long errors() {
        return errors.get();
    }

    @Override
    public boolean healthy() {
        return healthy;
    }
}
