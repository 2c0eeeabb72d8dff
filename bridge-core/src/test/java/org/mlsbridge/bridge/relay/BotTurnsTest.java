package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bot's turn comes for what it acts on and for its timers, not for every application message. */
class BotTurnsTest {
    private static final long SECOND = BotTurns.AT_LEAST_EVERY.toNanos();

    @Test
    void applicationMessagesAloneDoNotMakeTheExternalSenderBotDue() {
        RelayCounters relay = new RelayCounters();
        BotTurns turns = new BotTurns(List.of(relay), false);
        long t = 1_000;
        assertThat(turns.due(t)).as("first turn").isTrue();
        turns.took(t, turns.seen(), 0);
        assertThat(turns.due(t + 1)).isFalse();

        relay.relay();
        relay.relay();
        assertThat(turns.due(t + 2)).as("after application messages").isFalse();
        assertThat(turns.due(t + SECOND)).as("a second after the last turn").isTrue();

        relay.sawForTheBot();
        assertThat(turns.due(t + 3)).as("after a membership change or handshake").isTrue();
    }

    @Test
    void aBusyTurnIsFollowedByAnotherAndWhatArrivedDuringATurnIsNotLost() {
        RelayCounters relay = new RelayCounters();
        BotTurns turns = new BotTurns(List.of(relay), false);
        long t = 5_000;
        BotTurns.Seen before = turns.seen();
        relay.sawForTheBot(); // read by the relay while the bot's turn ran
        turns.took(t, before, 3);
        assertThat(turns.due(t + 1)).as("after a turn that handled something").isTrue();
        before = turns.seen();
        turns.took(t + 1, before, 0);
        assertThat(turns.due(t + 2)).isFalse();

        before = turns.seen();
        relay.sawForTheBot();
        turns.took(t + 3, before, 0);
        assertThat(turns.due(t + 4)).as("an event the relay read during the bot's turn").isTrue();
    }

    @Test
    void aMemberModeBotIsAlsoDueForApplicationMessages() {
        RelayCounters relay = new RelayCounters();
        BotTurns turns = new BotTurns(List.of(relay), true);
        long t = 9_000;
        turns.took(t, turns.seen(), 0);
        assertThat(turns.due(t + 1)).isFalse();
        relay.relay();
        assertThat(turns.due(t + 2)).isTrue();
    }
}
