package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.app.load.InMemoryLoadNetwork.Connection;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.DroppedEvent;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.matrix.SynapseServer;
import org.mlsbridge.xmpp.ProsodyServer;

/**
 * The load run, bounded, through a real Prosody and a real Synapse: 20 members (10 per network)
 * in one bridged MLS group, and the same traffic as plain room messages, the two phases taking
 * turns in two blocks each (MLS, plain, plain, MLS) that never overlap; nothing lost, duplicated
 * or undecryptable, and the report's figures are those the tally measured. And in memory, where
 * what the run signs in as can be watched: both phases sign in as the same accounts.
 */
class LoadRunTest {
    @TempDir
    Path dir;

    @Test
    void twentyMembersAcrossTheBridgeLoseNothing() throws Exception {
        int messages = Integer.getInteger("mlsbridge.load.messages", 200);
        LoadSettings settings = new LoadSettings(10, messages, 10, 100, Duration.ofSeconds(60), messages / 2);
        try (ProsodyServer prosody = ProsodyServer.start(); SynapseServer synapse = SynapseServer.start()) {
            XmppLoadNetwork xmpp = new XmppLoadNetwork("127.0.0.1", prosody.account("x").port(),
                    ProsodyServer.DOMAIN, ProsodyServer.MUC, false, ProsodyServer.PASSWORD,
                    (user, password) -> prosody.register(user));
            try (MatrixLoadNetwork matrix = new MatrixLoadNetwork(synapse.url(), SynapseServer.SERVER_NAME, "pw-load",
                    (user, password) -> synapse.register(user, password))) {
                CpuMeter cpu = CpuMeter.of(java.util.Map.of("Prosody", prosody.process(), "Synapse",
                        synapse.process()));
                LoadRunner runner = new LoadRunner(xmpp, matrix, settings, dir, Duration.ofMinutes(3),
                        s -> System.err.println("load: " + s), cpu, TurnOrder.random());
                LoadReport report = runner.run();
                report.print(System.out);

                for (PhaseResult p : new PhaseResult[] {report.mls(), report.plain()}) {
                    assertThat(p.lost()).as(p.name() + " lost").isZero();
                    assertThat(p.duplicates()).as(p.name() + " duplicated").isZero();
                    assertThat(p.misattributed()).as(p.name() + " misattributed").isZero();
                    assertThat(p.reads()).isEqualTo((long) messages * 19);
                    assertThat(p.toAll().count()).as("every message read by all 19 others").isEqualTo(messages);
                    assertThat(p.xmppToMatrix().count() + p.matrixToXmpp().count()).isEqualTo(messages);
                    assertThat(p.toAll().p50()).isPositive().isLessThanOrEqualTo(p.toAll().p99());
                    assertThat(p.toAll().p99()).isLessThanOrEqualTo(p.toAll().max());
                    assertThat(p.p99ByTenth()).as(p.name() + " p99 per tenth").hasSize(10)
                            .allSatisfy(v -> assertThat(v).isPositive().isLessThanOrEqualTo(p.toAll().max()));
                    assertThat(p.percentiles()).as(p.name() + " percentiles").isSorted().hasSize(8)
                            .contains(p.toAll().p50(), p.toAll().p99());
                    assertThat(p.throughput()).isCloseTo(messages / p.seconds(), org.assertj.core.data.Offset.offset(1e-9));
                    // every process worked during the traffic: the servers carried it, this process sent and read it
                    assertThat(p.cpuMsPerMessage()).as(p.name() + " CPU per message")
                            .containsOnlyKeys(CpuMeter.LOAD_PROCESS, "Prosody", "Synapse")
                            .allSatisfy((process, ms) -> assertThat(ms).as(process).isPositive());
                }
                assertThat(report.mls().undecryptable()).as("all decrypted").isZero();
                List<UserId> members = new java.util.ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    members.add(UserId.xmpp(runner.runId() + "x" + i + "@" + ProsodyServer.DOMAIN));
                    members.add(UserId.matrix("@" + runner.runId() + "m" + i + ":" + SynapseServer.SERVER_NAME));
                }
                assertThat(refusedByMlsClients(runner, members))
                        .as("nothing refused, in particular nothing of the plain phase's rooms").isEmpty();
                assertThat(report.timeRatio()).isEqualTo(report.mls().seconds() / report.plain().seconds());

                // the blocks took turns, one at a time, in the order the report gives (pairs of MP or PM)
                String order = report.order().letters(2);
                assertThat(order).matches("(MP|PM){2}");
                List<long[]> spans = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    PhaseResult phase = order.charAt(i) == 'M' ? report.mls() : report.plain();
                    int from = i < 2 ? 0 : messages / 2;
                    spans.add(span(phase, from, from + messages / 2));
                }
                for (int i = 1; i < spans.size(); i++) {
                    assertThat(spans.get(i)[0]).as("block " + i + " starts after block " + (i - 1) + " was all read")
                            .isGreaterThan(spans.get(i - 1)[1]);
                }
                for (PhaseResult p : new PhaseResult[] {report.mls(), report.plain()}) {
                    double blocks = (span(p, 0, messages / 2)[1] - span(p, 0, messages / 2)[0]
                            + span(p, messages / 2, messages)[1] - span(p, messages / 2, messages)[0]) / 1e9;
                    assertThat(p.seconds()).as(p.name() + ": its own blocks' time only")
                            .isCloseTo(blocks, org.assertj.core.data.Offset.offset(1e-6));
                }

                // --trace: a row per measured message of each phase, each read by all 19 others, every stage seen
                Path trace = dir.resolve("trace.csv");
                TraceFile.write(trace, report);
                List<String> lines = Files.readAllLines(trace);
                assertThat(lines).hasSize(1 + 2 * messages).first().isEqualTo(TraceFile.HEADER);
                assertThat(lines.subList(1, lines.size())).allSatisfy(line -> {
                    String[] f = line.split(",", -1);
                    assertThat(f).hasSize(13);
                    assertThat(f[6]).as("readers of " + line).isEqualTo("19");
                    assertThat(List.of(f).subList(8, 13)).as("stages of " + line).doesNotContain("");
                });
            }
        }
    }

    /**
     * Both phases sign in as the same accounts, registered once: member i of either phase is one
     * account, and the plain relay is the bridge's accounts; each phase has connections of its own.
     * In memory, as on Matrix, each connection of an account reads all its rooms: neither phase
     * loses, duplicates or misreads a message for the other's room.
     */
    @Test
    void bothPhasesSignInAsTheSameAccounts() throws Exception {
        int messages = 8;
        LoadSettings settings = new LoadSettings(2, messages, 20, 100, Duration.ofSeconds(30), 4);
        InMemoryLoadNetwork xmpp = new InMemoryLoadNetwork(UserId.Network.XMPP);
        InMemoryLoadNetwork matrix = new InMemoryLoadNetwork(UserId.Network.MATRIX);
        LoadRunner runner = new LoadRunner(xmpp, matrix, settings, dir, Duration.ofMinutes(1), s -> { },
                CpuMeter.of(Map.of()), TurnOrder.random());

        LoadReport report = runner.run();

        String id = runner.runId();
        assertThat(xmpp.registered()).as("once each")
                .containsExactly(id + "x1", id + "x2", id + "bridge", id + "bot");
        assertThat(matrix.registered()).as("once each").containsExactly(id + "m1", id + "m2", id + "bridge");
        List<Connection> bothPhases = List.of(Connection.MLS_PHASE, Connection.PLAIN_PHASE);
        assertThat(xmpp.connections()).isEqualTo(Map.of(
                xmpp.user(id + "x1"), bothPhases,
                xmpp.user(id + "x2"), bothPhases,
                xmpp.user(id + "bridge"), bothPhases,
                xmpp.user(id + "bot"), List.of(Connection.MLS_PHASE)));
        assertThat(matrix.connections()).isEqualTo(Map.of(
                matrix.user(id + "m1"), bothPhases,
                matrix.user(id + "m2"), bothPhases,
                matrix.user(id + "bridge"),
                List.of(Connection.MLS_PHASE, Connection.SECOND_READER, Connection.PLAIN_PHASE)));
        for (PhaseResult p : new PhaseResult[] {report.mls(), report.plain()}) {
            assertThat(p.clean()).as(p.name() + ": nothing lost, duplicated, misattributed or undecryptable")
                    .isTrue();
            assertThat(p.reads()).as(p.name()).isEqualTo((long) messages * 3);
            assertThat(p.hostSteal().known()).as(p.name() + ": the host's steal time, read around each block").isTrue();
        }
        assertThat(refusedByMlsClients(runner, List.of(xmpp.user(id + "x1"), matrix.user(id + "m1"),
                xmpp.user(id + "x2"), matrix.user(id + "m2"))))
                .as("the plain phase's messages, read on the same accounts, are not the MLS clients' to refuse")
                .isEmpty();
    }

    /**
     * What the run's MLS clients refused, from the drop logs in their stores: read after the run
     * through a client of each store on a network of its own.
     */
    private static List<DroppedEvent> refusedByMlsClients(LoadRunner runner, List<UserId> members)
            throws Exception {
        List<DroppedEvent> out = new java.util.ArrayList<>();
        for (UserId u : members) {
            assertThat(runner.storeFile(u.value())).as("the store of " + u).exists();
            try (MemberClient reader = new MemberClient(new InMemoryNetwork().connect(u), runner.store(u.value()),
                    ClientOptions.DEFAULT)) {
                out.addAll(reader.droppedEvents());
            }
        }
        return out;
    }

    /** The first send and the last read (nanos) of messages {@code from} to {@code to} of a phase. */
    private static long[] span(PhaseResult p, int from, int to) {
        List<PathTrace.Way> block = p.ways().stream().filter(w -> w.message() >= from && w.message() < to).toList();
        assertThat(block).hasSize(to - from);
        return new long[] {block.stream().mapToLong(PathTrace.Way::sentNanos).min().orElseThrow(),
                block.stream().mapToLong(w -> w.sentNanos() + w.read()).max().orElseThrow()};
    }
}
