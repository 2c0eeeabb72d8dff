package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {
    private static LoadSettings run(int membersPerNetwork, int messages) {
        return new LoadSettings(membersPerNetwork, messages, 10, 100, Duration.ofSeconds(60));
    }

    @Test
    void theWarmUpIsATenthOfTheRunAtMost200AndAtLeastOneMessagePerMember() {
        assertThat(run(10, 10_000).warmUpMessages()).isEqualTo(200);
        assertThat(run(10, 1_000).warmUpMessages()).isEqualTo(100);
        assertThat(run(10, 200).warmUpMessages()).isEqualTo(20);
        assertThat(run(10, 50).warmUpMessages()).as("one per member").isEqualTo(20);
        assertThat(run(1, 1).warmUpMessages()).isEqualTo(2);
    }

    @Test
    void theWarmUpSendsLikeTheRunOnlyFewerMessagesInTwoBlocks() {
        LoadSettings s = new LoadSettings(3, 5_000, 12.5, 300, Duration.ofSeconds(90));
        assertThat(s.warmUp()).isEqualTo(new LoadSettings(3, 200, 12.5, 300, Duration.ofSeconds(90), 100));
        assertThat(run(10, 50).warmUp().blocks()).containsExactly(new LoadSettings.Block(0, 10),
                new LoadSettings.Block(10, 20));
        assertThat(run(10, 1_050).warmUp().blocks()).as("105: the first block takes the odd one")
                .containsExactly(new LoadSettings.Block(0, 53), new LoadSettings.Block(53, 105));
        assertThat(run(1, 1).warmUp().blocks()).containsExactly(new LoadSettings.Block(0, 1),
                new LoadSettings.Block(1, 2));
    }

    @Test
    void aPhaseSendsInBlocksOfBlockMessagesTheLastMayBeShorter() {
        LoadSettings s = new LoadSettings(10, 1_050, 10, 100, Duration.ofSeconds(60), 500);
        assertThat(s.blocks()).containsExactly(new LoadSettings.Block(0, 500), new LoadSettings.Block(500, 1_000),
                new LoadSettings.Block(1_000, 1_050));
        assertThat(run(10, 250).blocks()).as("the default: 100 per block").containsExactly(
                new LoadSettings.Block(0, 100), new LoadSettings.Block(100, 200), new LoadSettings.Block(200, 250));
    }

    @Test
    void eachBlockStartsItsScheduleAfresh() {
        LoadSettings s = new LoadSettings(10, 1_000, 10, 100, Duration.ofSeconds(60), 500);
        LoadSettings.Block second = s.blocks().get(1);
        assertThat(s.dueNanos(second, 500)).isZero();
        assertThat(s.dueNanos(second, 510)).isEqualTo(1_000_000_000L);
        assertThat(s.senderOf(510)).as("the sender follows the message number, not the block").isEqualTo(10);
    }
}
