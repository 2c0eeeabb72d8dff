package org.mlsbridge.app.load;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.bridge.transport.UserId;

/**
 * One phase of a load run (MLS or plain), kept open for the whole run: its members, its relay (and
 * bot), and what it measured. The runner sets it up, then has it send one block of messages at a
 * time (the warm-up's, then the measured ones), taking turns with the other phase; between its
 * turns its relay and bot are paused and its members do not poll, so only one phase's traffic is
 * on the servers at a time. Both phases are driven by this same code.
 */
final class RunningPhase implements AutoCloseable {
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final String name;
    private final String label;
    private final LoadSettings settings;
    private final List<UserId> members;
    private final Duration formationTimeout;
    private final PhaseDriver.Progress progress;
    private final CpuMeter cpu;
    private final Tally tally;
    private final TimeBook book = new TimeBook();
    private final PathTrace trace;
    private final Tally warm;
    private final PathTrace warmTrace;
    private final List<PhaseMember> phaseMembers = new ArrayList<>();
    private final List<BackgroundLoop> background = new ArrayList<>();
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    /** CPU time per measured process, summed over this phase's blocks. */
    private final Map<String, Duration> cpuUsed = new LinkedHashMap<>();
    private final HostSteal.Tally stolen = new HostSteal.Tally();

    /**
     * @param name as in the report ("mls", "plain")
     * @param label as in progress lines ("MLS phase")
     */
    RunningPhase(String name, String label, LoadSettings settings, List<UserId> members, Duration formationTimeout,
            PhaseDriver.Progress progress, CpuMeter cpu) {
        this.name = name;
        this.label = label;
        this.settings = settings;
        this.members = List.copyOf(members);
        this.formationTimeout = formationTimeout;
        this.progress = progress;
        this.cpu = cpu;
        this.tally = new Tally(settings, members);
        this.trace = new PathTrace(settings.messages(), members.size());
        this.warm = new Tally(settings.warmUp(), members, "warm-up");
        this.warmTrace = new PathTrace(settings.warmUp().messages(), members.size());
    }

    String name() {
        return name;
    }

    List<UserId> members() {
        return members;
    }

    Tally tally() {
        return tally;
    }

    TimeBook book() {
        return book;
    }

    PathTrace trace() {
        return trace;
    }

    /** Closed with the phase, after its loops and members, in the reverse order of owning. */
    <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** A relay or bot loop of this phase, stepping from now on (the set-up needs it). */
    void runInBackground(String loopName, BackgroundLoop.Step step) {
        background.add(new BackgroundLoop(loopName, step));
    }

    /** The next member, in the order of {@link #members}; it counts into the warm-up until {@link #endWarmUp}. */
    void add(PhaseMember member) {
        member.countInto(warm);
        phaseMembers.add(member);
    }

    void show(String status) {
        progress.show(label + ": " + status);
    }

    /** The relay and bot stop taking turns until this phase's next block (its set-up is done). */
    void pause() throws InterruptedException {
        for (BackgroundLoop b : background) {
            b.pause();
        }
    }

    /**
     * Sends and reads one block of the warm-up ({@link LoadSettings#warmUp}): the same kind of
     * traffic, through the same members, relay and bot, counted apart and not measured. Without it
     * the first seconds of a phase would measure the JIT compiling that phase's path; sent in
     * blocks that take turns like the measured ones, it also lets the JIT see both phases' paths
     * before anything is measured.
     */
    void warmUp(LoadSettings.Block block, String which) throws Exception {
        turn(warm, block, new TimeBook(), warmTrace, "warm-up " + which, false);
    }

    /**
     * Checks that the warm-up arrived complete, like the measured traffic must; from now on the
     * members count into the measured tally.
     */
    void endWarmUp() {
        if (!warm.complete() || warm.duplicates() > 0 || warm.misattributed() > 0) {
            throw new IllegalStateException(name + " phase warm-up: " + warm.delivered() + " of "
                    + warm.expectedDeliveries() + " reads, " + warm.duplicates() + " duplicates, "
                    + warm.misattributed() + " not the message sent");
        }
        for (PhaseMember m : phaseMembers) {
            m.countInto(tally);
        }
    }

    /** Sends and reads the measured messages of {@code block}. */
    void block(LoadSettings.Block block, String which) throws Exception {
        turn(tally, block, book, trace, which, true);
    }

    /**
     * One turn: the relay and bot take turns again, a thread per member, the wait until all are
     * ready (the first turn's includes forming the group), the traffic; then all pause again, also
     * when something failed.
     *
     * @param which the block's place in the run, for the progress line ("block 3 of 20")
     * @param measured whether the CPU the processes use during the traffic counts for the phase
     */
    private void turn(Tally into, LoadSettings.Block block, TimeBook timeBook, PathTrace path, String which,
            boolean measured) throws Exception {
        for (BackgroundLoop b : background) {
            b.resume();
        }
        List<MemberLoop> loops = new ArrayList<>();
        try {
            for (int i = 0; i < phaseMembers.size(); i++) {
                MemberLoop l = new MemberLoop(name + "-" + into.round() + "-" + block.from() + "-" + i, i,
                        phaseMembers.get(i), block, into, timeBook, path);
                loops.add(l);
                l.startThread();
            }
            PhaseDriver.awaitReady(loops, background, SETTLE, formationTimeout,
                    s -> show(which + ", getting ready: " + s));
            Map<String, Duration> before = measured ? cpu.used() : Map.of();
            Optional<HostSteal.Reading> hostBefore = measured ? cpu.host() : Optional.empty();
            PhaseDriver.traffic(loops, background, into, block, timeBook, s -> show(which + ", " + s));
            if (measured) {
                CpuMeter.between(before, cpu.used()).forEach((process, d) -> cpuUsed.merge(process, d, Duration::plus));
                stolen.add(hostBefore, cpu.host());
            }
        } finally {
            MemberLoop.stopAll(loops);
        }
        // not in the finally: a turn that failed ends the run, and its failure is the one to report
        pause();
    }

    /** The phase's figures, once all its blocks were sent. */
    PhaseResult result() {
        long undecryptable = phaseMembers.stream().mapToLong(PhaseMember::undecryptable).sum();
        return PhaseResult.of(name, tally, undecryptable, book, trace,
                CpuMeter.perMessage(cpuUsed, settings.messages()), stolen.share());
    }

    /** Stops the relay and bot loops, then closes the members and what the phase owns. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (BackgroundLoop b : background) {
            b.close();
        }
        for (PhaseMember m : phaseMembers) {
            m.close();
        }
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
