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
    void theWarmUpSendsLikeTheRunOnlyFewerMessages() {
        LoadSettings s = new LoadSettings(3, 5_000, 12.5, 300, Duration.ofSeconds(90));
        assertThat(s.warmUp()).isEqualTo(new LoadSettings(3, 200, 12.5, 300, Duration.ofSeconds(90)));
    }
}
