package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steal time from {@code /proc/stat}: parsed, summed per phase, and unknown rather than zero where it is missing. */
class HostStealTest {
    // the first line of /proc/stat on the reference machine during a run (user nice system idle
    // iowait irq softirq steal guest guest_nice)
    private static final String LINE = "cpu  1746381 124911 226444 4098402 44365 0 30201 190412 0 0";

    @Test
    void theAllCoresLineGivesStealAndTheTotalOfTheFirstEightCounters() {
        assertThat(HostSteal.parse(LINE)).contains(new HostSteal.Reading(190_412,
                1_746_381L + 124_911 + 226_444 + 4_098_402 + 44_365 + 0 + 30_201 + 190_412));
    }

    @Test
    void aLineWithoutStealOrNotTheAllCoresLineIsNoReading() {
        assertThat(HostSteal.parse("cpu  1746381 124911 226444 4098402 44365 0 30201")).isEmpty();
        assertThat(HostSteal.parse("cpu0 873190 62455 113222 2049201 22182 0 15100 95206 0 0")).isEmpty();
        assertThat(HostSteal.parse("cpu  1 2 3 4 5 6 7 x")).isEmpty();
        assertThat(HostSteal.parse("")).isEmpty();
    }

    @Test
    void aPhaseSumsItsBlocksAndKeepsTheWorstOne() {
        HostSteal.Tally t = new HostSteal.Tally();
        t.add(reading(100, 10_000), reading(150, 13_000)); // 50 of 3,000 ticks
        t.add(reading(1_000, 20_000), reading(1_900, 23_000)); // 900 of 3,000

        HostSteal.Share s = t.share();
        assertThat(s.known()).isTrue();
        assertThat(s.whole()).isEqualTo(950.0 / 6_000);
        assertThat(s.worstBlock()).isEqualTo(0.3);
    }

    @Test
    void aBlockWithoutReadingsMakesThePhaseUnknown() {
        HostSteal.Tally t = new HostSteal.Tally();
        t.add(reading(100, 10_000), reading(150, 13_000));
        t.add(Optional.empty(), reading(1_900, 23_000));

        assertThat(t.share().known()).isFalse();
        assertThat(new HostSteal.Tally().share().known()).as("a phase with no block measured").isFalse();
    }

    @Test
    void readsTheFileItIsGivenAndNothingWhereThereIsNone(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, LINE + "\ncpu0 873190 62455 113222 2049201 22182 0 15100 95206 0 0\n");

        assertThat(new HostSteal(stat).read()).isEqualTo(HostSteal.parse(LINE));
        assertThat(new HostSteal(dir.resolve("absent")).read()).isEmpty();
    }

    @Test
    void aFileThatCannotBeReadIsNoReadingRatherThanTheEndOfTheRun(@TempDir Path dir) {
        // a directory where the file should be: reading fails with an error other than "missing"
        assertThat(new HostSteal(dir).read()).isEmpty();
    }

    @Test
    void thisLinuxMachineReportsIt() {
        Path proc = Path.of("/proc/stat");
        assertThat(proc).as("the build and its load runs are on Linux").exists();
        Optional<HostSteal.Reading> r = HostSteal.ofSystem().read();
        assertThat(r).isPresent();
        assertThat(r.get().total()).isPositive().isGreaterThanOrEqualTo(r.get().steal());
    }

    private static Optional<HostSteal.Reading> reading(long steal, long total) {
        return Optional.of(new HostSteal.Reading(steal, total));
    }
}
