package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    @Test
    void postsOfOneSenderRunInTheOrderSubmittedWhileOthersOvertakeThem() throws Exception {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        try (PostWindow w = new PostWindow(8)) {
            w.submit("alice", () -> {
                await(firstMayEnd);
                done.add("alice 1");
            });
            w.submit("alice", () -> done.add("alice 2"));
            w.submit("bob", () -> {
                done.add("bob 1");
                firstMayEnd.countDown();
            });
            w.awaitAll();
        }
        // bob's post did not wait for alice's, and alice's second waited for her first
        assertThat(done).containsExactly("bob 1", "alice 1", "alice 2");
    }

    @Test
    void aFailedPostStopsTheSameSendersLaterPostsSoARetryKeepsTheirOrder() throws Exception {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        try (PostWindow w = new PostWindow(8)) {
            w.submit("alice", () -> {
                throw new TransportException("server gone", true);
            });
            w.submit("alice", () -> done.add("alice 2"));
            w.submit("bob", () -> done.add("bob 1"));
            assertThatThrownBy(w::awaitAll).isInstanceOf(TransportException.class).hasMessageContaining("server gone");
        }
        assertThat(done).containsExactly("bob 1");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
