package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Twelve members and the bot, each on its own thread with its own SQLite file: members
 * join, talk and request commits concurrently (so commits race for the same epoch), one is offline
 * for many epochs, one leaves, one joins late, one loses its database and re-joins by external
 * commit. At the end everyone agrees on the epoch, and every message was read exactly once by
 * exactly the members of the epoch it was sent in.
 *
 * <p>Platform threads, as separate clients would have: virtual threads are never preempted, and
 * on a loaded machine one member's thread sat unscheduled for seconds while the others committed
 * past the past-epoch window, so its message, encrypted before, was dropped by everyone.
 */
class ConcurrentChurnTest {
    private static final RoomId ROOM = Harness.ROOM;

    @TempDir
    Path dir;

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private final Map<UserId, Map<String, Integer>> reads = new ConcurrentHashMap<>();

    record Sent(String text, UserId sender, long epoch, Set<UserId> members) {
    }

    record Snapshot(Optional<Long> epoch, Optional<Bytes> authenticator, Set<UserId> members) {
    }

    final class Driver implements Runnable {
        final UserId user;
        volatile MemberClient client;
        volatile boolean stop;
        volatile Snapshot snapshot = new Snapshot(Optional.empty(), Optional.empty(), Set.of());
        final ConcurrentLinkedQueue<String> toSend = new ConcurrentLinkedQueue<>();
        volatile boolean wantCommit;
        Thread thread;

        Driver(MemberClient client) {
            this.client = client;
            this.user = client.self();
            reads.putIfAbsent(user, new ConcurrentHashMap<>());
        }

        void start() {
            stop = false;
            // a restarted client (m05 back, m07 with a fresh database) has shown nothing yet: the
            // old client's last snapshot must not make it look converged before it caught up
            snapshot = new Snapshot(Optional.empty(), Optional.empty(), Set.of());
            thread = Thread.ofPlatform().name("member-" + user).start(this);
        }

        void halt() throws InterruptedException {
            stop = true;
            thread.join(30_000);
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    client.step(200, Duration.ofMillis(3));
                    String text;
                    while ((text = toSend.poll()) != null) {
                        Optional<SentMessage> r = client.send(ROOM, Harness.text(text));
                        if (r.isPresent()) {
                            sent.add(new Sent(text, user, r.get().epoch(), Set.copyOf(r.get().members())));
                        }
                    }
                    if (wantCommit) {
                        wantCommit = false;
                        client.requestCommit(ROOM);
                    }
                    for (ReceivedMessage m : client.received()) {
                        reads.get(user).merge(Harness.text(m.text()), 1, Integer::sum);
                        client.acknowledge(m);
                    }
                    snapshot = new Snapshot(client.epoch(ROOM), client.epochAuthenticator(ROOM),
                            Set.copyOf(client.groupMembers(ROOM)));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
    }

    @Test
    void membersConvergeAndEveryMessageIsReadExactlyOnceByItsEpochsMembers() throws Exception {
        try (Harness h = new Harness(dir)) {
            Thread botThread = Thread.ofPlatform().name("bot").start(() -> {
                try {
                    while (failure.get() == null && !Thread.currentThread().isInterrupted()) {
                        h.bot.step(500, Duration.ofMillis(5));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            Map<String, Driver> d = new java.util.LinkedHashMap<>();
            MemberClient creator = h.creator("m00");
            d.put("m00", new Driver(creator));
            for (int i = 1; i < 12; i++) {
                String name = String.format("m%02d", i);
                d.put(name, new Driver(h.member(name)));
            }
            d.values().forEach(Driver::start);
            Random rnd = new Random(42);
            for (int i = 1; i < 12; i++) {
                h.net.join(ROOM, Harness.user(String.format("m%02d", i)));
                Thread.sleep(rnd.nextInt(20));
            }
            awaitTrue(() -> converged(h, d.values()), "initial convergence");

            // Talk while commits race; m05 goes offline for a while.
            Driver offline = d.get("m05");
            offline.halt();
            offline.client.close();
            int counter = 0;
            for (int round = 0; round < 6; round++) {
                for (Driver x : d.values()) {
                    if (x != offline && rnd.nextInt(3) == 0) {
                        x.toSend.add(x.user + "#" + counter++);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    d.values().stream().filter(x -> x != offline).skip(rnd.nextInt(10)).findFirst()
                            .ifPresent(x -> x.wantCommit = true);
                }
                if (round == 2) {
                    h.net.leave(ROOM, Harness.user("m11"));
                }
                if (round == 3) {
                    Driver late = new Driver(h.member("m12"));
                    d.put("m12", late);
                    late.start();
                    h.net.join(ROOM, late.user);
                }
                Thread.sleep(150);
            }
            // m07 loses its database and must re-join by external commit.
            Driver lost = d.get("m07");
            lost.halt();
            lost.client = h.loseState(lost.client);
            lost.start();
            // m05 comes back and catches up on every epoch it missed.
            offline.client = h.restart(offline.client);
            offline.start();
            d.remove("m11").halt();
            awaitTrue(() -> converged(h, d.values()) && lost.snapshot.epoch().isPresent(), "re-join and catch-up");
            long rejoinEpoch = lost.snapshot.epoch().orElseThrow();
            for (Driver x : d.values()) {
                x.toSend.add(x.user + "#final" + counter++);
            }
            awaitTrue(() -> converged(h, d.values()) && allDelivered(d.values()), "final messages");
            // Commits may still be in flight: wait until members and the bot agree for a while.
            int stable = 0;
            while (stable < 10) {
                awaitTrue(() -> converged(h, d.values())
                        && h.bot.epoch(ROOM).equals(d.get("m00").snapshot.epoch()), "quiet");
                Bytes auth = d.get("m00").snapshot.authenticator().orElseThrow();
                Thread.sleep(50);
                stable = converged(h, d.values()) && d.get("m00").snapshot.authenticator().orElseThrow().equals(auth)
                        ? stable + 1 : 0;
            }
            for (Driver x : d.values()) {
                x.halt();
            }
            botThread.interrupt();
            botThread.join(30_000);
            assertThat(failure.get()).as("driver failure").isNull();

            Set<UserId> present = new HashSet<>();
            d.values().forEach(x -> present.add(x.user));
            Snapshot ref = d.get("m00").snapshot;
            for (Driver x : d.values()) {
                assertThat(x.snapshot.authenticator()).as(x.user + " agrees").isEqualTo(ref.authenticator());
                assertThat(x.snapshot.members()).as(x.user + "'s member list").isEqualTo(present);
            }
            assertThat(h.bot.groupMembers(ROOM)).isEqualTo(present);
            assertThat(h.bot.epoch(ROOM)).isEqualTo(ref.epoch());
            assertThat(lost.client.counters().rejoins()).isEqualTo(1);
            long discarded = d.values().stream().mapToLong(x -> x.client.counters().discardedCommits()).sum();
            assertThat(sent).hasSizeGreaterThan(20);

            for (Sent s : sent) {
                for (Map.Entry<UserId, Map<String, Integer>> e : reads.entrySet()) {
                    UserId reader = e.getKey();
                    int n = e.getValue().getOrDefault(s.text(), 0);
                    assertThat(n).as(reader + " read " + s.text() + " at most once").isLessThanOrEqualTo(1);
                    boolean member = s.members().contains(reader) && !reader.equals(s.sender());
                    if (!member) {
                        assertThat(n).as(reader + " was not a member when " + s.text() + " was sent").isZero();
                        continue;
                    }
                    boolean mustRead = !reader.equals(Harness.user("m11"))
                            && !(reader.equals(Harness.user("m07")) && s.epoch() < rejoinEpoch);
                    if (mustRead) {
                        assertThat(n).as(reader + " read " + s.text() + " (epoch " + s.epoch() + ")").isEqualTo(1);
                    }
                }
            }
            for (Driver x : d.values()) {
                assertThat(x.client.counters().decryptionFailures()).as(x.user + " decryption failures").isZero();
            }
            System.out.println("churn: " + sent.size() + " messages, epoch " + ref.epoch().orElseThrow()
                    + ", losing commits discarded " + discarded + ", m07 re-joined at epoch " + rejoinEpoch);
        }
    }

    private boolean allDelivered(java.util.Collection<Driver> drivers) {
        synchronized (sent) {
            for (Sent s : sent) {
                if (!s.text().contains("#final")) {
                    continue;
                }
                for (Driver x : drivers) {
                    if (!x.user.equals(s.sender()) && s.members().contains(x.user)
                            && reads.get(x.user).getOrDefault(s.text(), 0) == 0) {
                        return false;
                    }
                }
            }
            return sent.stream().filter(s -> s.text().contains("#final")).count() == drivers.size();
        }
    }

    /** What the final messages still lack, for a failure's message. */
    private String undelivered() {
        StringBuilder out = new StringBuilder("final messages sent: ");
        synchronized (sent) {
            sent.stream().filter(s -> s.text().contains("#final"))
                    .forEach(s -> out.append(s.text()).append(" (epoch ").append(s.epoch()).append(") "));
            out.append("; unread: ");
            for (Sent s : sent) {
                if (s.text().contains("#final")) {
                    for (UserId u : s.members()) {
                        if (!u.equals(s.sender()) && reads.containsKey(u) && reads.get(u).getOrDefault(s.text(), 0) == 0) {
                            out.append(s.text()).append(" by ").append(u.value()).append(", ");
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private boolean converged(Harness h, java.util.Collection<Driver> drivers) {
        Set<UserId> present = new HashSet<>();
        drivers.forEach(x -> present.add(x.user));
        Snapshot first = drivers.iterator().next().snapshot;
        if (first.epoch().isEmpty()) {
            return false;
        }
        for (Driver x : drivers) {
            Snapshot s = x.snapshot;
            if (!s.authenticator().equals(first.authenticator()) || !s.members().equals(present)) {
                return false;
            }
        }
        return true;
    }

    private void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (failure.get() != null) {
                throw new AssertionError("driver failed during " + what, failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; " + undelivered());
            }
            Thread.sleep(20);
        }
    }
}
