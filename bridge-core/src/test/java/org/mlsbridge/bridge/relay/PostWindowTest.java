package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.TransportException;

class PostWindowTest {
    @Test
    void atMostTheLimitAreInFlight() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (PostWindow w = new PostWindow(3)) {
            for (int i = 0; i < 20; i++) {
                w.submit(() -> {
                    most.accumulateAndGet(active.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    active.decrementAndGet();
                });
                assertThat(w.inFlight()).isLessThanOrEqualTo(3);
            }
            w.awaitAll();
            assertThat(w.inFlight()).isZero();
        }
        assertThat(most.get()).isBetween(2, 3);
    }

    @Test
    void awaitAllThrowsTheFirstFailureOnlyAfterEveryPostEnded() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        try (PostWindow w = new PostWindow(8)) {
            w.submit(() -> {
                throw new TransportException("lost answer", true);
            });
            w.submit(() -> {
                try {
                    slow.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.incrementAndGet();
            });
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slow.countDown();
            });
            assertThatThrownBy(w::awaitAll).isInstanceOf(TransportException.class).hasMessageContaining("lost answer");
            assertThat(finished.get()).isEqualTo(1);
            w.awaitAll(); // the failure was reported once
        }
    }

    @Test
    void abandonWaitsForThePostsInFlightAndForgetsTheirFailures() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        try (PostWindow w = new PostWindow(4)) {
            w.submit(() -> {
                throw new TransportException("refused", true);
            });
            for (int i = 0; i < 3; i++) {
                w.submit(() -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    finished.incrementAndGet();
                });
            }
            w.abandon();
            assertThat(finished.get()).isEqualTo(3);
            assertThat(w.inFlight()).isZero();
            w.awaitAll();
        }
    }
}
