package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each process's CPU time is counted once: a server the run started is a child of this process,
 * and is measured under its own name, not again in the load process's figure.
 */
class CpuMeterTest {
    private static Duration cpuOf(ProcessHandle p) {
        return p.info().totalCpuDuration().orElseThrow();
    }

    @Test
    void aMeasuredChildIsNotCountedAgainInTheLoadProcess() throws Exception {
        // a stand-in server: a child of this process that burns CPU, then waits to be measured
        Process server = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; sleep 30")
                .start();
        try {
            ProcessHandle handle = server.toHandle();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (cpuOf(handle).compareTo(Duration.ofMillis(300)) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Duration serverCpu = cpuOf(handle);
            assertThat(serverCpu).as("the stand-in server's CPU time").isGreaterThanOrEqualTo(Duration.ofMillis(300));

            CpuMeter meter = CpuMeter.of(Map.of("server", Optional.of(handle)));
            Duration ownBefore = cpuOf(ProcessHandle.current());
            Map<String, Duration> used = meter.used();
            Duration ownAfter = cpuOf(ProcessHandle.current());

            assertThat(used).containsOnlyKeys(CpuMeter.LOAD_PROCESS, "server");
            assertThat(used.get("server")).isGreaterThanOrEqualTo(serverCpu);
            // this JVM's own time, give or take the reading itself; with the server counted again
            // it would be at least 300 ms more
            assertThat(used.get(CpuMeter.LOAD_PROCESS)).isBetween(ownBefore, ownAfter.plus(Duration.ofMillis(100)));
        } finally {
            server.destroyForcibly().waitFor();
        }
    }
}
