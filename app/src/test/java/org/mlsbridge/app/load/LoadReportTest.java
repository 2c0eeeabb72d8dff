package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's verdict: the targets, and no verdict at all from a run whose plain phase fell behind. */
class LoadReportTest {
    private static final LoadSettings SETTINGS = new LoadSettings(10, 10_000, 7, 100, Duration.ofSeconds(900), 500);

    @Test
    void aSteadyRunWithinBothTargetsMeetsThem() {
        LoadReport r = report(phase("plain", 78.7, 110.2, 0), phase("mls", 84.0, 118.7, 0));

        assertThat(r.baselineSteady()).isTrue();
        assertThat(r.targetMet()).isTrue();
        assertThat(r.verdict()).isEqualTo("target met");
    }

    @Test
    void aSteadyRunOverTheP99TargetMissesIt() {
        LoadReport r = report(phase("plain", 78.7, 110.2, 0), phase("mls", 86.7, 127.2, 0));

        assertThat(r.p99ExtraMs()).isCloseTo(17.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.targetMet()).isFalse();
        assertThat(r.verdict()).isEqualTo("target NOT met");
    }

    @Test
    void aRunWhosePlainPhaseFellBehindShowsNoTargetEvenWhenMlsLooksFaster() {
        // the 2026-12-06 08:19 run: Synapse saturated in both phases, MLS's p99 "236.8 ms better"
        LoadReport r = report(phase("plain", 121.8, 2542.7, 0), phase("mls", 124.7, 2305.9, 0));

        assertThat(r.p99ExtraMs()).isNegative();
        assertThat(r.baselineSpread()).isCloseTo(20.9, org.assertj.core.data.Offset.offset(0.05));
        assertThat(r.baselineSteady()).isFalse();
        assertThat(r.targetMet()).isFalse();
        assertThat(r.verdict()).startsWith("target not shown: the plain phase's own p99 is 20.9× its p50 (at most 3×");
        assertThat(r.toMap()).containsEntry("baseline_steady", false).containsEntry("target_met", false)
                .containsKey("baseline_spread");
    }

    @Test
    void theLimitItselfStillCompares() {
        LoadReport r = report(phase("plain", 100, 300, 0), phase("mls", 100, 305, 0));

        assertThat(r.baselineSpread()).isEqualTo(LoadReport.MAX_BASELINE_SPREAD);
        assertThat(r.baselineSteady()).isTrue();
        assertThat(r.targetMet()).isTrue();
    }

    @Test
    void aLostMessageFailsTheTargetWhateverTheLatencies() {
        LoadReport r = report(phase("plain", 78.7, 110.2, 0), phase("mls", 80.0, 111.0, 1));

        assertThat(r.clean()).isFalse();
        assertThat(r.targetMet()).isFalse();
    }

    @Test
    void thePrintedReportGivesMlsMinusPlainForEachStagesMedian() {
        // the 2026-12-06 14:03 run's steady hour, to every member: sender, relay pick-up, relay post, server, reader, total
        LoadReport r = report(phase("plain", 84.8, 114.9, 0, path(18.4, 8.0, 23.0, 16.5, 0.0, 84.8)),
                phase("mls", 96.5, 127.2, 0, path(22.7, 8.1, 26.4, 19.6, 2.0, 96.5)));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        r.print(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(printed).contains("MLS minus plain, stage by stage (medians in ms");
        assertThat(printed.lines().filter(l -> l.startsWith("  sender: send call until its post is answered")))
                .singleElement().satisfies(l -> assertThat(l.trim().split(" +")).endsWith("+4.3", "+4.3", "+4.3"));
        assertThat(printed.lines().filter(l -> l.startsWith("  reader: until the load reads it")))
                .singleElement().satisfies(l -> assertThat(l).endsWith("    +2.0     +2.0     +2.0"));
        assertThat(printed.lines().filter(l -> l.startsWith("  total ")))
                .singleElement().satisfies(l -> assertThat(l).endsWith("   +11.7    +11.7    +11.7"));
    }

    @Test
    void theReportShowsWhatTheHostTookFromEachPhase() {
        Map<String, Object> path = path(18.4, 8.0, 23.0, 16.5, 0.0, 84.8);
        LoadReport r = report(phase("plain", 88.9, 149.5, 0, path, new HostSteal.Share(0.012, 0.08)),
                phase("mls", 97.5, 175.8, 0, path, new HostSteal.Share(0.034, 0.401)));

        assertThat(r.hostLine()).isEqualTo("host: CPU the hypervisor gave other guests (steal) during the traffic,"
                + " share of the machine: plain 1.2 % (worst block 8.0 %), mls 3.4 % (worst block 40.1 %)");
        assertThat(printed(r)).contains(r.hostLine());
        @SuppressWarnings("unchecked")
        Map<String, Object> mls = (Map<String, Object>) r.toMap().get("mls");
        assertThat(mls.get("host_steal_share")).isEqualTo(Map.of("whole", 0.034, "worst_block", 0.401));
    }

    @Test
    void aHostThatReportsNoStealTimeIsSaidSoNotShownAsNone() {
        LoadReport r = report(phase("plain", 88.9, 149.5, 0), phase("mls", 97.5, 175.8, 0,
                Map.of(), new HostSteal.Share(0.0, 0.0)));

        assertThat(r.hostLine()).contains("not reported by this system").doesNotContain("0.0 %");
    }

    private static String printed(LoadReport r) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        r.print(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same medians (and means) in every direction. */
    private static Map<String, Object> path(double... stageMs) {
        Map<String, Double> stages = new java.util.LinkedHashMap<>();
        for (int i = 0; i < PathTrace.STAGES.size(); i++) {
            stages.put(PathTrace.STAGES.get(i), stageMs[i]);
        }
        stages.put("total", stageMs[PathTrace.STAGES.size()]);
        Map<String, Object> split = Map.of("messages", 10_000, "all_ms", stages, "slowest_1pct_ms", stages,
                "median_ms", stages);
        return Map.of("to_all", split, "xmpp_to_matrix", split, "matrix_to_xmpp", split);
    }

    private static LoadReport report(PhaseResult plain, PhaseResult mls) {
        return new LoadReport(SETTINGS, "test", mls, plain, 3000, new TurnOrder(1), "test machine");
    }

    private static PhaseResult phase(String name, double p50, double p99, long lost) {
        return phase(name, p50, p99, lost, Map.of());
    }

    private static PhaseResult phase(String name, double p50, double p99, long lost, Map<String, Object> path) {
        return phase(name, p50, p99, lost, path, HostSteal.Share.UNKNOWN);
    }

    private static PhaseResult phase(String name, double p50, double p99, long lost, Map<String, Object> path,
            HostSteal.Share steal) {
        Latencies l = new Latencies(10_000, p50, p99, p99 * 2);
        return new PhaseResult(name, 10_000, 20, 190_000, 190_000 - lost, 1428.6, 7.0, l, l, l, lost, 0, 0, 0,
                Map.of(), path, Map.of(), steal, List.of(), List.of(),
                List.of(p50, p50 * 1.1, p50 * 1.2, (p50 + p99) / 2, p99 * 0.9, p99, p99 * 1.2, p99 * 1.5));
    }
}
