package org.mlsbridge.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlsbridge.bridge.manager.DropReason;
import org.mlsbridge.bridge.manager.DroppedEvent;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The end of a fault run: every child member running, the world stepped until every member is in
 * the witness's epoch with its epoch authenticator and holds at least every confirmed message,
 * then each member's inbox, exporter and refusals collected and checked together with the
 * {@link WireLedger}: nothing lost, nothing twice, one group state, no key used twice.
 */
final class Verdict {
    /** Refusals that mean a fault broke something (the others are the ordinary results of races). */
    static final Set<DropReason> BROKEN = EnumSet.of(DropReason.UNDECODABLE, DropReason.WRONG_GROUP,
            DropReason.FUTURE_EPOCH, DropReason.BEFORE_JOIN, DropReason.PAST_EPOCH_EXPIRED, DropReason.UNDECRYPTABLE,
            DropReason.INVALID_COMMIT, DropReason.INVALID_PROPOSAL, DropReason.INVALID_WELCOME,
            DropReason.INTERNAL_ERROR);

    private Verdict() {
    }

    /** A child's answer to {@code status}. */
    private record Status(long epoch, String auth, int received) {
        static Status parse(String line) {
            String[] p = line.split(" ");
            return new Status(Long.parseLong(p[1]), p[2], Integer.parseInt(p[3]));
        }
    }

    private static Map<String, Long> expectedOf(Conversation conv, Set<String> members) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String m : members) {
            out.put(m, conv.expectedAtLeast(m));
        }
        return out;
    }

    /** Settles, collects and checks; returns a one-line summary. */
    static String check(FaultWorld w, Conversation conv, Duration timeout) throws Exception {
        for (Map.Entry<String, MemberProcess> e : w.children.entrySet()) {
            collect(conv, e.getValue());
            if (!e.getValue().alive()) {
                w.startChild(e.getKey());
            }
        }
        Map<String, Status> last = new LinkedHashMap<>();
        int stable = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stable < 3) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("members did not converge within " + timeout + ": witness epoch "
                        + w.witness.epoch(w.room) + (w.witness.hasDueWork() ? " with a commit or re-join due" : "")
                        + ", received " + w.witness.received().size() + " of at least "
                        + conv.expectedAtLeast(FaultWorld.WITNESS) + "; members " + last + ", expected at least "
                        + expectedOf(conv, last.keySet()) + "; confirmed " + conv.confirmedCount() + " of "
                        + conv.askedCount() + " asked");
            }
            long until = System.nanoTime() + Duration.ofMillis(700).toNanos();
            while (System.nanoTime() < until) {
                w.step();
            }
            Map<String, Status> now = new LinkedHashMap<>();
            for (Map.Entry<String, MemberProcess> e : w.children.entrySet()) {
                e.getValue().command("status");
                for (String l : e.getValue().until(x -> x.startsWith("status "), Duration.ofSeconds(180))) {
                    if (l.startsWith("status ")) {
                        now.put(e.getKey(), Status.parse(l));
                    } else {
                        conv.answer(l);
                    }
                }
            }
            long epoch = w.witness.epoch(w.room).orElse(-1L);
            String auth = w.witness.epochAuthenticator(w.room).map(Bytes::hex).orElse("-");
            boolean converged = !w.witness.hasDueWork()
                    && w.witness.received().size() >= conv.expectedAtLeast(FaultWorld.WITNESS);
            for (Map.Entry<String, MemberClient> e : w.inProcess.entrySet()) {
                MemberClient c = e.getValue();
                now.put(e.getKey(), new Status(c.epoch(w.room).orElse(-1L),
                        c.epochAuthenticator(w.room).map(Bytes::hex).orElse("-"), c.received().size()));
            }
            for (Map.Entry<String, Status> e : now.entrySet()) {
                Status s = e.getValue();
                converged &= s.epoch() == epoch && s.auth().equals(auth)
                        && s.received() >= conv.expectedAtLeast(e.getKey());
            }
            stable = converged && now.equals(last) ? stable + 1 : 0;
            last = now;
        }

        String groupId = w.ledger.groupId().orElseThrow().hex();
        String witnessExporter = w.witnessExporter();
        List<String> problems = new ArrayList<>();
        Map<String, MemberClient> local = new LinkedHashMap<>();
        local.put(FaultWorld.WITNESS, w.witness);
        local.putAll(w.inProcess);
        for (Map.Entry<String, MemberClient> e : local.entrySet()) {
            List<Conversation.Received> inbox = new ArrayList<>();
            for (String[] r : FaultWorld.receivedBy(e.getValue())) {
                inbox.add(new Conversation.Received(r[0], r[1], r[2]));
            }
            conv.inbox(e.getKey(), inbox);
            for (DroppedEvent d : e.getValue().droppedEvents()) {
                if (BROKEN.contains(d.reason())) {
                    problems.add(e.getKey() + " refused an event: " + d.reason());
                }
            }
            if (!e.getKey().equals(FaultWorld.WITNESS) && !w.exporterOf(e.getKey()).equals(witnessExporter)) {
                problems.add(e.getKey() + " exports another secret than the witness");
            }
        }
        for (Map.Entry<String, MemberProcess> e : w.children.entrySet()) {
            MemberProcess p = e.getValue();
            p.command("report " + groupId);
            List<Conversation.Received> inbox = new ArrayList<>();
            for (String l : p.until("end"::equals, Duration.ofSeconds(60))) {
                String[] parts = l.split(" ", 4);
                switch (parts[0]) {
                    case "received" -> inbox.add(new Conversation.Received(parts[1], parts[2], parts[3]));
                    case "exporter" -> {
                        if (!parts[1].equals(witnessExporter)) {
                            problems.add(e.getKey() + " exports another secret than the witness");
                        }
                    }
                    case "drop" -> {
                        if (BROKEN.contains(DropReason.valueOf(parts[1]))) {
                            problems.add(e.getKey() + " refused an event: " + parts[1]);
                        }
                    }
                    default -> conv.answer(l);
                }
            }
            conv.inbox(e.getKey(), inbox);
            p.command("exit");
            assertThat(p.exitCode(Duration.ofSeconds(30))).as(e.getKey() + " exit code").isZero();
        }
        problems.addAll(conv.problems());
        problems.addAll(w.ledger.problems());
        if (w.ledger.privateMessages() == 0) {
            problems.add("no PrivateMessage crossed the wire: nothing was tested");
        }
        assertThat(problems).as("after the faults").isEmpty();
        return "epoch " + w.witness.epoch(w.room).orElseThrow() + ", " + conv.askedCount() + " messages asked, "
                + conv.confirmedCount() + " confirmed, " + w.ledger;
    }

    /** Takes the answers a child has written so far (all of them if it is dead). */
    static void collect(Conversation conv, MemberProcess p) throws InterruptedException {
        for (String l : p.drain()) {
            conv.answer(l);
        }
    }
}
