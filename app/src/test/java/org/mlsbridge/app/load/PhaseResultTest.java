package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.UserId;

/** A phase's figures from its tally: the whole phase's percentiles, and the p99 of each tenth of it. */
class PhaseResultTest {
    private static final UserId X = UserId.xmpp("x@example.org");
    private static final UserId M = UserId.matrix("@m:example.org");

    private static long ms(long v) {
        return v * 1_000_000L;
    }

    /** Message k, sent at k seconds, read by the other member after {@code latencyMs[k]}. */
    private static PhaseResult phase(long... latencyMs) {
        LoadSettings settings = new LoadSettings(1, latencyMs.length, 10, 100, Duration.ofSeconds(1));
        Tally tally = new Tally(settings, List.of(X, M));
        for (int k = 0; k < latencyMs.length; k++) {
            tally.sent(k, ms(1000L * (k + 1)));
            tally.read(1 - settings.senderOf(k), k, null, ms(1000L * (k + 1) + latencyMs[k]));
        }
        return PhaseResult.of("plain", tally, 0, new TimeBook(), new PathTrace(latencyMs.length, 2), Map.of(),
                HostSteal.Share.UNKNOWN);
    }

    @Test
    void aSlowSpellShowsInItsTenthOnly() {
        // twenty messages at 10 + k ms, but message 7 took 500 ms
        long[] latency = new long[20];
        for (int k = 0; k < 20; k++) {
            latency[k] = k == 7 ? 500 : 10 + k;
        }
        PhaseResult p = phase(latency);

        assertThat(p.toAll().count()).isEqualTo(20);
        assertThat(p.toAll().p99()).isEqualTo(500.0);
        // two messages per tenth: the p99 of two is the slower one
        assertThat(p.p99ByTenth()).containsExactly(11.0, 13.0, 15.0, 500.0, 19.0, 21.0, 23.0, 25.0, 27.0, 29.0);
    }

    @Test
    void percentilesAreNearestRankOverTheMessagesReadByAll() {
        long[] latency = new long[1000];
        for (int k = 0; k < latency.length; k++) {
            latency[k] = 1000 - k; // 1000 ms down to 1 ms
        }
        PhaseResult p = phase(latency);
        assertThat(PhaseResult.PERCENTILES).containsExactly(50.0, 75.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.9);
        assertThat(p.percentiles()).containsExactly(500.0, 750.0, 900.0, 950.0, 980.0, 990.0, 995.0, 999.0);
        assertThat(p.percentiles().get(0)).isEqualTo(p.toAll().p50());
        assertThat(p.percentiles().get(5)).isEqualTo(p.toAll().p99());
    }

    @Test
    void aTenthWithNoMessageHasNoFigure() {
        PhaseResult p = phase(40, 50, 60);
        assertThat(p.p99ByTenth()).hasSize(10).filteredOn(v -> !v.isNaN()).containsExactly(40.0, 50.0, 60.0);
    }
}
