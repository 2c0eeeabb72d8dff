package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A phase's relay loop pauses between the phase's blocks: no turn runs while paused. */
class BackgroundLoopTest {
    @Test
    void noTurnRunsWhilePausedAndTurnsGoOnAfterResume() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        AtomicInteger inTurn = new AtomicInteger();
        try (BackgroundLoop loop = new BackgroundLoop("test", () -> {
            inTurn.incrementAndGet();
            try {
                Thread.sleep(5);
                turns.incrementAndGet();
                return 1;
            } finally {
                inTurn.decrementAndGet();
            }
        })) {
            awaitMore(turns, 0);
            loop.pause();
            assertThat(inTurn.get()).as("pause returns once the current turn is over").isZero();
            int atPause = turns.get();
            Thread.sleep(200);
            assertThat(turns.get()).as("no turn while paused").isEqualTo(atPause);

            loop.resume();
            awaitMore(turns, atPause);
            assertThat(loop.failure()).isNull();
        }
    }

    @Test
    void aPausedLoopStopsWhenClosed() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        BackgroundLoop loop = new BackgroundLoop("test", turns::incrementAndGet);
        awaitMore(turns, 0);
        loop.pause();
        long t = System.nanoTime();
        loop.close();
        assertThat((System.nanoTime() - t) / 1_000_000).as("close ms").isLessThan(5_000);
    }

    private static void awaitMore(AtomicInteger turns, int than) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (turns.get() <= than) {
            assertThat(System.nanoTime()).as("a turn within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
