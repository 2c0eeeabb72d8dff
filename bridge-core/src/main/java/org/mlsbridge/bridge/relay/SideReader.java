package org.mlsbridge.bridge.relay;

import java.time.Duration;
import java.util.Optional;
import org.mlsbridge.bridge.transport.ReadAhead;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * How a relay's turn reads its two rooms on one thread: each side once without waiting; then, if
 * neither had anything, it waits for news of either side when both connections read ahead into
 * one {@link ReadAhead}, or else on the first side only (its poll's own wait).
 */
public final class SideReader {
    /** Handles up to a batch of one side's events, waiting up to {@code wait} for the first. */
    @FunctionalInterface
    public interface Side {
        int step(int side, Duration wait) throws TransportException, InterruptedException;
    }

    private final Optional<ReadAhead> readAhead;

    public SideReader(RoomSide a, RoomSide b) {
        this.readAhead = ReadAhead.common(a.transport(), b.transport());
    }

    /** Whether a turn with nothing waits for both sides (else for the first only). */
    public boolean waitsForBoth() {
        return readAhead.isPresent();
    }

    /** One turn: how many events {@code side} handled. */
    public int turn(Duration wait, Side side) throws TransportException, InterruptedException {
        long mark = readAhead.map(ReadAhead::mark).orElse(0L); // before looking, so no news is missed
        int handled = bothSides(side);
        if (handled > 0 || wait.isZero()) {
            return handled;
        }
        if (readAhead.isEmpty()) {
            return side.step(0, wait);
        }
        return readAhead.get().await(mark, wait) ? bothSides(side) : 0;
    }

    private static int bothSides(Side side) throws TransportException, InterruptedException {
        int first = side.step(0, Duration.ZERO);
        return first + side.step(1, Duration.ZERO);
    }
}
