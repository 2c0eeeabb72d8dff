package org.mlsbridge.app.bridge;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.mlsbridge.bridge.relay.BotTurns;
import org.mlsbridge.bridge.relay.BridgeRelay;
import org.mlsbridge.bridge.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's one thread: every relay, then the bot, turn after turn. One thread because the
 * relays' posts of handshake messages into both rooms must come from one place in one order, and
 * the bot's proposals join that order. A failed turn (a server away, the database busy) is counted
 * and retried with growing pauses; the event it stopped at is handled again (cursors are saved
 * after each event), so nothing is lost or repeated. A stop request is honoured between events.
 */
final class BridgeLoop {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeLoop.class);
    /**
     * Events per side per relay turn. Small, because each relayed event is a post that waits for
     * its server's answer: with 100, a backlog on room A (100 posts into Synapse, seconds each
     * under load) kept room B's events waiting, and a bridge restarted often never reached them.
     */
    private static final int BATCH = 10;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    /** Failing for longer than this makes /health answer 503. */
    private static final Duration UNHEALTHY_AFTER = Duration.ofSeconds(30);
    private static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(1);

    private final List<BridgeRelay> relays;
    private final BridgeBot bot;
    private final BridgeMetrics metrics;
    private final Consumer<String> say;
    /** The idle wait on room A's network grows from the first to the longest while the rooms stay quiet. */
    static final Duration FIRST_IDLE_WAIT = Duration.ofMillis(100);
    static final Duration MAX_IDLE_WAIT = Duration.ofMillis(800);

    private volatile boolean stopping;
    private long turns;
    private Duration idleWait = FIRST_IDLE_WAIT;
    private final BotTurns botTurns;

    BridgeLoop(List<BridgeRelay> relays, BridgeBot bot, BridgeMetrics metrics, Consumer<String> say) {
        this.relays = List.copyOf(relays);
        this.bot = bot;
        this.botTurns = new BotTurns(relays.stream().map(BridgeRelay::counters).toList(),
                bot instanceof BridgeBot.Member);
        this.metrics = metrics;
        this.say = say;
    }

    void requestStop() {
        stopping = true;
    }

    void run() throws InterruptedException {
        say.accept("running; SIGTERM or Ctrl-C stops it after the current event");
        Duration pause = FIRST_PAUSE;
        long failingSince = 0;
        long lastSnapshot = 0;
        while (!stopping) {
            try {
                int handled = turn();
                turns++;
                if (failingSince != 0) {
                    say.accept("connected again; catching up");
                }
                failingSince = 0;
                pause = FIRST_PAUSE;
                metrics.setHealthy(true);
                if (System.nanoTime() - lastSnapshot > SNAPSHOT_EVERY.toNanos() || handled > 0) {
                    metrics.refresh(bot);
                    lastSnapshot = System.nanoTime();
                }
                metrics.refreshKeyPackages(System.nanoTime()); // a server call at most once a minute

            } catch (TransportException | RuntimeException e) {
                metrics.error();
                long now = System.nanoTime();
                if (failingSince == 0) {
                    failingSince = now;
                    LOG.warn("turn failed, retrying: reason={}", e.getMessage());
                } else {
                    LOG.debug("turn failed again: reason={}", e.getMessage());
                }
                if (now - failingSince > UNHEALTHY_AFTER.toNanos()) {
                    metrics.setHealthy(false);
                }
                sleepUnlessStopping(pause);
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
        metrics.refresh(bot);
    }

    /**
     * One turn of every relay, then the bot when a relay read something it acts on (or at least
     * once a second: it has timers; see {@link BotTurns}); when nothing happened it waits, longer
     * the longer the rooms have been quiet. The relays' connections read ahead into one signal
     * ({@code ReadAhead}), so that wait ends at the first news of any room, and each room has one
     * long poll in flight instead of a request per turn.
     */
    private int turn() throws TransportException, InterruptedException {
        int handled = 0;
        for (BridgeRelay r : relays) {
            if (stopping) {
                return handled;
            }
            handled += r.step(BATCH, Duration.ZERO);
        }
        if (stopping) {
            return handled;
        }
        long now = System.nanoTime();
        if (botTurns.due(now)) {
            BotTurns.Seen before = botTurns.seen();
            int bot = this.bot.step(BATCH, Duration.ZERO);
            botTurns.took(now, before, bot);
            handled += bot;
        }
        if (handled == 0 && !stopping && !relays.isEmpty()) {
            handled += relays.get(0).step(BATCH, idleWait);
            idleWait = idleWait.multipliedBy(2).compareTo(MAX_IDLE_WAIT) > 0 ? MAX_IDLE_WAIT : idleWait.multipliedBy(2);
        }
        if (handled > 0) {
            idleWait = FIRST_IDLE_WAIT;
        }
        return handled;
    }

    private void sleepUnlessStopping(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (!stopping && System.nanoTime() < end) {
            Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    String summary() {
        long sequenced = relays.stream().mapToLong(r -> r.counters().sequenced()).sum();
        long relayed = relays.stream().mapToLong(r -> r.counters().relayed()).sum();
        long welcomes = relays.stream().mapToLong(r -> r.counters().welcomesForwarded()).sum();
        return turns + " turns, " + sequenced + " handshake messages sequenced, " + relayed
                + " application messages relayed, " + welcomes + " Welcomes forwarded";
    }
}
