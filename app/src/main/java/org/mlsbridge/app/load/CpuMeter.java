package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CPU time used by named processes (each with its children), read from the operating system: what
 * a phase cost each of them per message, a figure that depends far less on how busy the machine
 * was than latencies do. This process is always measured; the servers only when the run started
 * them (with other servers their processes are not ours to see). Also the time the host took away
 * from the whole machine ({@link HostSteal}).
 */
final class CpuMeter {
    static final String LOAD_PROCESS = "load process (members, relay, bot)";

    private final Map<String, ProcessHandle> processes;
    private final HostSteal host;

    private CpuMeter(Map<String, ProcessHandle> processes, HostSteal host) {
        this.processes = processes;
        this.host = host;
    }

    /** This process and the given others. */
    static CpuMeter of(Map<String, Optional<ProcessHandle>> others) {
        Map<String, ProcessHandle> all = new LinkedHashMap<>();
        all.put(LOAD_PROCESS, ProcessHandle.current());
        others.forEach((name, p) -> p.ifPresent(h -> all.put(name, h)));
        return new CpuMeter(all, HostSteal.ofSystem());
    }

    /** The machine's stolen and total CPU ticks so far, where the system reports them. */
    Optional<HostSteal.Reading> host() {
        return host.read();
    }

    /**
     * CPU time used so far by each process and its children, each counted once: the servers a run
     * starts are children of this process, and their trees count under their own names only. A
     * process the system no longer reports counts nothing.
     */
    Map<String, Duration> used() {
        Set<Long> measuredApart = new HashSet<>();
        processes.forEach((name, p) -> {
            if (!name.equals(LOAD_PROCESS)) {
                measuredApart.add(p.pid());
                p.descendants().forEach(d -> measuredApart.add(d.pid()));
            }
        });
        Map<String, Duration> out = new LinkedHashMap<>();
        processes.forEach((name, p) -> {
            Duration d = cpu(p);
            for (ProcessHandle child : p.descendants().toList()) {
                if (name.equals(LOAD_PROCESS) && measuredApart.contains(child.pid())) {
                    continue;
                }
                d = d.plus(cpu(child));
            }
            out.put(name, d);
        });
        return out;
    }

    /** Per process, the CPU time used between two readings of {@link #used}. */
    static Map<String, Duration> between(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> out = new LinkedHashMap<>();
        after.forEach((name, d) -> out.put(name, d.minus(before.getOrDefault(name, Duration.ZERO))));
        return out;
    }

    /** Milliseconds of CPU per message, from the CPU time each process used for {@code messages}. */
    static Map<String, Double> perMessage(Map<String, Duration> used, int messages) {
        Map<String, Double> out = new LinkedHashMap<>();
        used.forEach((name, d) -> out.put(name, d.toNanos() / 1e6 / Math.max(1, messages)));
        return out;
    }

    private static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
