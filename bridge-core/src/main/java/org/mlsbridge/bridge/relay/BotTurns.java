package org.mlsbridge.bridge.relay;

import java.time.Duration;
import java.util.List;

/**
 * When the room's bot takes a turn next to its relays. Each turn of the bot reads both rooms (on
 * Matrix a /sync of its own device), so stepping it after every busy relay turn costs the
 * homeserver one request per message carried. The external-sender bot acts only on membership,
 * handshake messages, Welcomes and plain text, so it is due when a relay read one of those, right
 * after a turn in which it did something (its own proposals come back), and at least every
 * {@link #AT_LEAST_EVERY} for its timers; application messages alone do not make it due. A bot
 * that reads the group's messages (member mode: it gateways them to legacy users) is also due
 * after any relay turn that carried something.
 *
 * <p>Used by one thread at a time (the loop that steps the bot).
 */
public final class BotTurns {
    public static final Duration AT_LEAST_EVERY = Duration.ofSeconds(1);

    private final List<RelayCounters> relays;
    private final boolean readsApplicationMessages;
    private long seenForTheBot = -1;
    private long seenCarried = -1;
    private boolean busyLastTurn = true;
    private long lastTurn;

    /**
     * @param relays the counters of the relays next to the bot
     * @param readsApplicationMessages whether the bot is a group member that handles the group's
     *     messages (member mode)
     */
    public BotTurns(List<RelayCounters> relays, boolean readsApplicationMessages) {
        this.relays = List.copyOf(relays);
        this.readsApplicationMessages = readsApplicationMessages;
    }

    /** What the relays had read, taken right before a bot turn. */
    public record Seen(long forTheBot, long carried) {
    }

    /** Whether the bot should step now ({@code nowNanos} from {@link System#nanoTime}). */
    public boolean due(long nowNanos) {
        return busyLastTurn || seenForTheBot != forTheBot()
                || (readsApplicationMessages && seenCarried != carried())
                || nowNanos - lastTurn >= AT_LEAST_EVERY.toNanos();
    }

    /** Take right before the bot's turn; hand it to {@link #took} after. */
    public Seen seen() {
        return new Seen(forTheBot(), carried());
    }

    /** Records a bot turn that started at {@code startNanos}, after {@code before}, and handled {@code handled} events. */
    public void took(long startNanos, Seen before, int handled) {
        lastTurn = startNanos;
        seenForTheBot = before.forTheBot();
        seenCarried = before.carried();
        busyLastTurn = handled > 0;
    }

    private long forTheBot() {
        long n = 0;
        for (RelayCounters r : relays) {
            n += r.forTheBot();
        }
        return n;
    }

    private long carried() {
        long n = 0;
        for (RelayCounters r : relays) {
            n += r.relayed();
        }
        return n;
    }
}
