package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.UserId;

/** Ending a turn: every member loop is told to stop at once, not one after the other. */
class MemberLoopTest {
    private static final int MEMBERS = 6;

    @Test
    void stoppingAllLetsNoLoopStartAnotherStep() throws Exception {
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            users.add(UserId.xmpp("m" + i + "@example.org"));
        }
        LoadSettings settings = new LoadSettings(MEMBERS / 2, 10, 10, 100, Duration.ofSeconds(5), 10);
        Tally tally = new Tally(settings, users);
        List<SlowMember> members = new ArrayList<>();
        List<MemberLoop> loops = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            // the loops started first take longest: stopped one after the other, the later ones
            // would go on stepping while the first are still being waited for
            SlowMember m = new SlowMember(Duration.ofMillis(100L * (MEMBERS - i)));
            members.add(m);
            MemberLoop l = new MemberLoop("test-" + i, i, m, settings.blocks().get(0), tally, new TimeBook(),
                    new PathTrace(settings.messages(), MEMBERS));
            loops.add(l);
            l.startThread();
        }
        for (SlowMember m : members) {
            m.awaitFirstStep();
        }
        int[] before = members.stream().mapToInt(m -> m.steps.get()).toArray();

        MemberLoop.stopAll(loops);

        for (int i = 0; i < MEMBERS; i++) {
            // a step may have begun between the reading above and the stop; one, not one per loop stopped before
            assertThat(members.get(i).steps.get()).as("steps member %d began after the stop", i)
                    .isLessThanOrEqualTo(before[i] + 1);
            assertThat(loops.get(i).failure()).isNull();
        }
    }

    /** A member whose every step takes a while, as a poll that waits for news does. */
    private static final class SlowMember implements PhaseMember {
        final AtomicInteger steps = new AtomicInteger();
        private final Duration stepTime;

        SlowMember(Duration stepTime) {
            this.stepTime = stepTime;
        }

        @Override
        public void send(int k) {
        }

        @Override
        public int step(Duration wait) throws InterruptedException {
            steps.incrementAndGet();
            Thread.sleep(stepTime);
            return 0;
        }

        void awaitFirstStep() throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (steps.get() == 0) {
                assertThat(System.nanoTime()).as("a first step within 10 s").isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        @Override
        public void countInto(Tally tally) {
        }

        @Override
        public int membersSeen() {
            return 0;
        }

        @Override
        public long undecryptable() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
