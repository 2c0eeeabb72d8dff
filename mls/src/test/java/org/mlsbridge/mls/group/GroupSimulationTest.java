package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.framing.PaddingPolicy;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Welcome;

/**
 * Issue 4's randomized simulation: a pool of 28 clients, of whom about 22 are in the group at any
 * time, over 500 epochs. Each epoch members propose adds, removes, updates and external and
 * resumption PSKs and send application messages; then two or three of them often commit at once,
 * with or without a path, and the delivery service orders the handshake messages of the epoch in
 * one total order (the first commit wins; the losers' pending commits are dropped, by merging the
 * winner or by {@code clearPendingCommit}, and they may commit again next epoch). Application
 * messages reach each member in its own shuffled order, some only after the next one or two
 * commits (the past-epoch window). After every epoch all members agree on epoch and epoch
 * authenticator; at the end every application message was decrypted exactly once by each member
 * of its epoch, and by no one else: later joiners, removed members and replays fail with an
 * {@link MlsException}.
 *
 * <p>Run another seed with {@code -Dsim.seed=N}; every failure names the seed.
 */
class GroupSimulationTest {
    private static final int POOL = 28;
    private static final int INITIAL_MEMBERS = 22;
    private static final int EPOCHS = 500;
    private static final int MIN_MEMBERS = 18;
    private static final int MAX_MEMBERS = 26;
    private static final Bytes EXTERNAL_PSK_ID = Bytes.wrap("sim-psk".getBytes(StandardCharsets.UTF_8));

    @Test
    void publicHandshakes() {
        simulate(GroupConfig.DEFAULT, Long.getLong("sim.seed", 20261124L));
    }

    @Test
    void privateHandshakesWithPadding() {
        simulate(GroupConfig.DEFAULT.withHandshakes(HandshakeWireFormat.PRIVATE)
                .withPadding(PaddingPolicy.toMultipleOf(32)), Long.getLong("sim.seed", 4L));
    }

    private static void simulate(GroupConfig config, long seed) {
        Simulation sim;
        try {
            sim = new Simulation(seed, config);
        } catch (MlsException e) {
            throw new AssertionError(e);
        }
        try {
            sim.run();
        } catch (Throwable t) {
            throw new AssertionError("simulation seed " + seed + " failed in epoch " + sim.epoch + ": " + t, t);
        }
        System.out.println("GroupSimulationTest seed " + seed + " (" + config.handshakes() + "): " + sim.stats());
    }

    /** One membership of a client: a client removed and added again gets a new seat. */
    private static final class Seat {
        final Client client;
        final String id;
        final long joined;
        MlsGroup group;
        /** The epoch in which it was removed (it stays there, the removal staged but not merged), or -1. */
        long lastEpoch = -1;
        StagedCommit removal;

        Seat(Client client, int serial, MlsGroup group) {
            this.client = client;
            this.id = client.name + "#" + serial;
            this.joined = group.epoch();
            this.group = group;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** One application message and who decrypted it. */
    private record AppMessage(int id, Seat sender, long epoch, MlsMessage message, String text, Set<Seat> expected,
            Map<Seat, Integer> decrypted) {
    }

    /** An application message on its way to one seat, due while the group is in {@code due}. */
    private record Delivery(AppMessage message, Seat to, long due) {
    }

    private static final class Simulation {
        final long seed;
        final Random rnd;
        final List<Client> pool = new ArrayList<>();
        final List<Seat> members = new ArrayList<>();
        final List<Seat> ghosts = new ArrayList<>();
        final List<AppMessage> sent = new ArrayList<>();
        final List<Delivery> inFlight = new ArrayList<>();
        final Map<Long, Secret> resumptionPsks = new HashMap<>();
        final Set<Seat> retry = new LinkedHashSet<>();
        final Map<String, Integer> serials = new HashMap<>();
        final PskLookup psks;
        final GroupConfig config;
        final List<Bytes> proposalRefs = new ArrayList<>();
        long epoch;
        Bytes groupId;
        int proposals;
        int commits;
        int lostCommits;
        int adds;
        int removes;
        int lateDeliveries;
        int refused;
        int invalidChoices;

        Simulation(long seed, GroupConfig config) throws MlsException {
            this.seed = seed;
            this.config = config;
            this.rnd = new Random(seed);
            Map<Bytes, Secret> external = Map.of(EXTERNAL_PSK_ID, Secret.of(new byte[32]));
            this.psks = new PskLookup() {
                @Override
                public Optional<Secret> externalPsk(Bytes pskId) {
                    return Optional.ofNullable(external.get(pskId));
                }

                @Override
                public Optional<Secret> resumptionPsk(Bytes group, long e) {
                    // Like a client's storage: every epoch's resumption PSK, also those before it joined.
                    return group.equals(groupId) ? Optional.ofNullable(resumptionPsks.get(e)) : Optional.empty();
                }
            };
            for (int i = 0; i < POOL; i++) {
                Client c = new Client("c" + i);
                c.psks = psks;
                c.config = config;
                pool.add(c);
            }
        }

        String stats() {
            return String.format("%d epochs, %d proposals, %d commits (%d lost), %d adds, %d removes, "
                    + "%d application messages, %d late deliveries, %d refused as expected, %d commit choices refused by the committer, %d members at the end",
                    epoch, proposals, commits, lostCommits, adds, removes, sent.size(), lateDeliveries, refused,
                    invalidChoices, members.size());
        }

        void run() throws MlsException {
            Client creator = pool.get(0);
            MlsGroup g = MlsGroup.create(creator.identity, List.of(), config, psks);
            groupId = g.groupId();
            members.add(seat(creator, g));
            archive();
            CommitOptions first = CommitOptions.empty();
            for (Client c : pool.subList(1, INITIAL_MEMBERS)) {
                first = first.withValues(List.of(new Proposal.Add(c.bundle.keyPackage())));
            }
            CommitOutput out = g.commit(first);
            finishEpoch(out, List.of());
            for (int i = 0; i < EPOCHS; i++) {
                playEpoch();
            }
            deliverDue(Long.MAX_VALUE);
            checkBookkeeping();
            assertThat(epoch).isEqualTo(EPOCHS + 1);
        }

        Seat seat(Client c, MlsGroup group) {
            int serial = serials.merge(c.name, 1, Integer::sum);
            return new Seat(c, serial, group);
        }

        void playEpoch() throws MlsException {
            int steps = 2 + rnd.nextInt(4);
            for (int s = 0; s < steps; s++) {
                switch (rnd.nextInt(3)) {
                    case 0 -> propose(members.get(rnd.nextInt(members.size())));
                    default -> {
                        if (rnd.nextInt(3) == 0) {
                            send(members.get(rnd.nextInt(members.size())));
                        }
                    }
                }
                deliverSome();
            }
            deliverDue(epoch);
            commitPhase();
            expireGhosts();
        }

        // ---- proposals ----------------------------------------------------------------------

        void propose(Seat proposer) throws MlsException {
            MlsGroup g = proposer.group;
            SentProposal p;
            int kind = rnd.nextInt(6);
            if (kind == 0 && members.size() < MAX_MEMBERS && !outside().isEmpty()) {
                List<Client> outside = outside();
                p = g.propose(new Proposal.Add(outside.get(rnd.nextInt(outside.size())).bundle.keyPackage()));
            } else if (kind == 1 && members.size() > MIN_MEMBERS) {
                // Sometimes the proposer itself: someone else must commit that.
                Seat target = rnd.nextInt(5) == 0 ? proposer : members.get(rnd.nextInt(members.size()));
                p = g.propose(new Proposal.Remove(target.group.state().ownLeaf()));
            } else if (kind == 2) {
                p = g.propose(new Proposal.PreSharedKey(g.externalPskId(EXTERNAL_PSK_ID)));
            } else if (kind == 3) {
                long past = Math.max(0, epoch - rnd.nextInt(40));
                p = g.propose(new Proposal.PreSharedKey(g.resumptionPskId(past)));
            } else {
                p = g.proposeUpdate();
            }
            proposals++;
            proposalRefs.add(p.ref());
            // The delivery service's total order: everyone (the proposer's echo included) gets it now.
            for (Seat m : members) {
                ProcessedMessage r = m.group.process(p.message());
                if (m == proposer) {
                    assertThat(r).isEqualTo(new OwnMessage(ContentType.PROPOSAL, epoch));
                } else {
                    assertThat(r).as(m + " caches the proposal").isInstanceOf(ProposalReceived.class);
                    assertThat(((ProposalReceived) r).ref()).isEqualTo(p.ref());
                }
            }
            for (Seat ghost : ghosts) {
                expectRefused(ghost, p.message(), "a removed member gets a later proposal");
            }
        }

        List<Client> outside() {
            List<Client> out = new ArrayList<>(pool);
            for (Seat m : members) {
                out.remove(m.client);
            }
            return out;
        }

        // ---- application messages -----------------------------------------------------------

        void send(Seat sender) throws MlsException {
            int id = sent.size();
            String text = "m" + id + " from " + sender + " in epoch " + epoch;
            MlsMessage m = sender.group.encrypt(text.getBytes(StandardCharsets.UTF_8));
            Set<Seat> expected = new LinkedHashSet<>(members);
            expected.remove(sender);
            AppMessage msg = new AppMessage(id, sender, epoch, m, text, expected, new HashMap<>());
            sent.add(msg);
            for (Seat to : members) {
                if (to == sender && rnd.nextInt(4) != 0) {
                    continue;
                }
                int late = rnd.nextInt(20);
                long due = late < 16 ? epoch : late < 19 ? epoch + 1 : epoch + 2;
                inFlight.add(new Delivery(msg, to, due));
            }
            for (Seat ghost : ghosts) {
                inFlight.add(new Delivery(msg, ghost, epoch));
            }
        }

        /** Some of what is due now, in a random order: every member sees its own interleaving. */
        void deliverSome() throws MlsException {
            List<Delivery> now = new ArrayList<>();
            for (Delivery d : inFlight) {
                if (d.due() <= epoch && rnd.nextBoolean()) {
                    now.add(d);
                }
            }
            deliver(now);
        }

        void deliverDue(long upTo) throws MlsException {
            List<Delivery> now = new ArrayList<>();
            for (Delivery d : inFlight) {
                if (d.due() <= upTo) {
                    now.add(d);
                }
            }
            deliver(now);
        }

        void deliver(List<Delivery> now) throws MlsException {
            inFlight.removeAll(now);
            Collections.shuffle(now, rnd);
            for (Delivery d : now) {
                AppMessage msg = d.message();
                Seat to = d.to();
                if (to.group.epoch() != msg.epoch()) {
                    lateDeliveries++;
                }
                if (to == msg.sender()) {
                    assertThat(to.group.process(msg.message())).as("the echo of " + msg.text() + " to its sender")
                            .isEqualTo(new OwnMessage(ContentType.APPLICATION, msg.epoch()));
                } else if (msg.expected().contains(to)) {
                    ProcessedMessage r = process(to, msg);
                    assertThat(r).as(to + " reads " + msg.text()).isInstanceOf(ApplicationMessage.class);
                    ApplicationMessage a = (ApplicationMessage) r;
                    assertThat(new String(a.data().toByteArray(), StandardCharsets.UTF_8)).isEqualTo(msg.text());
                    assertThat(a.epoch()).isEqualTo(msg.epoch());
                    assertThat(a.credential()).isEqualTo(msg.sender().client.identity.credential());
                    msg.decrypted().merge(to, 1, Integer::sum);
                    if (rnd.nextInt(25) == 0) {
                        expectRefused(to, msg.message(), "a replay of " + msg.text());
                    }
                } else {
                    expectRefused(to, msg.message(), msg.text() + " to " + to + ", not a member of epoch "
                            + msg.epoch());
                }
            }
        }

        ProcessedMessage process(Seat to, AppMessage msg) {
            try {
                return to.group.process(msg.message());
            } catch (MlsException e) {
                throw new AssertionError(to + " (epoch " + to.group.epoch() + ") cannot read " + msg.text() + ": " + e,
                        e);
            }
        }

        void expectRefused(Seat to, MlsMessage m, String what) {
            try {
                ProcessedMessage r = to.group.process(m);
                fail(what + ": expected an MlsException, got " + r);
            } catch (MlsException expected) {
                refused++;
            }
        }

        // ---- commits ------------------------------------------------------------------------

        void commitPhase() throws MlsException {
            int k = 1 + (rnd.nextInt(10) < 5 ? 0 : rnd.nextInt(10) < 7 ? 1 : 2);
            List<Seat> committers = new ArrayList<>();
            for (Seat s : retry) {
                if (members.contains(s) && rnd.nextBoolean() && committers.size() < k) {
                    committers.add(s);
                }
            }
            retry.clear();
            while (committers.size() < k) {
                Seat s = members.get(rnd.nextInt(members.size()));
                if (!committers.contains(s)) {
                    committers.add(s);
                }
            }
            List<CommitOutput> outs = new ArrayList<>();
            List<Seat> by = new ArrayList<>();
            for (Seat c : committers) {
                outs.add(commit(c));
                by.add(c);
                commits++;
            }
            proposalRefs.clear();
            // Messages sent while commits are in flight still belong to this epoch (committers' too).
            int more = rnd.nextInt(3);
            for (int i = 0; i < more; i++) {
                send(rnd.nextBoolean() ? committers.get(0) : pick());
            }
            deliverSome();
            // The delivery service's order of the commits: the first wins.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < outs.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, rnd);
            CommitOutput winner = outs.get(order.get(0));
            List<Seat> losers = new ArrayList<>();
            for (int i : order.subList(1, order.size())) {
                losers.add(by.get(i));
            }
            for (Seat loser : losers) {
                if (rnd.nextBoolean()) {
                    loser.group.clearPendingCommit();
                }
            }
            finishEpoch(winner, losers);
            for (int i : order.subList(1, order.size())) {
                lostCommits++;
                Seat loser = by.get(i);
                MlsMessage lost = outs.get(i).commit();
                if (loser.group.isActive() && members.contains(loser)) {
                    assertThat(loser.group.process(lost)).as("the late echo of " + loser + "'s lost commit")
                            .isEqualTo(new OwnMessage(ContentType.COMMIT, epoch - 1));
                    retry.add(loser);
                }
                Seat other = members.get(rnd.nextInt(members.size()));
                if (other != loser) {
                    expectRefused(other, lost, "a commit that lost the epoch");
                }
            }
        }

        /**
         * A random subset of this epoch's proposals by reference may break §12.2 (e.g. the
         * committer's own removal, or a Remove and an Update of one leaf): the committer must
         * refuse it without changing anything, and then commits all valid cached proposals.
         */
        CommitOutput commit(Seat committer) throws MlsException {
            if (rnd.nextInt(5) == 0 && !proposalRefs.isEmpty()) {
                List<Bytes> refs = new ArrayList<>();
                for (Bytes r : proposalRefs) {
                    if (rnd.nextBoolean()) {
                        refs.add(r);
                    }
                }
                Bytes before = committer.group.epochAuthenticator();
                try {
                    return committer.group.commit(CommitOptions.empty().withReferences(refs).withPath(rnd.nextBoolean()));
                } catch (MlsException e) {
                    invalidChoices++;
                    assertThat(committer.group.pendingCommit()).isEmpty();
                    assertThat(committer.group.epochAuthenticator()).isEqualTo(before);
                }
            }
            return committer.group.commit(commitOptions());
        }

        CommitOptions commitOptions() {
            CommitOptions o = switch (rnd.nextInt(10)) {
                case 0 -> CommitOptions.empty();
                case 1 -> CommitOptions.of(new Proposal.PreSharedKey(pick().group.externalPskId(EXTERNAL_PSK_ID)));
                default -> CommitOptions.allCachedProposals();
            };
            return o.withPath(rnd.nextInt(3) != 0);
        }

        Seat pick() {
            return members.get(rnd.nextInt(members.size()));
        }

        /** Everyone processes the winning commit in the delivery service's order. */
        void finishEpoch(CommitOutput winner, List<Seat> losers) throws MlsException {
            long old = epoch;
            Bytes expectedAuth = winner.pending().epochAuthenticator().orElseThrow();
            List<Seat> stay = new ArrayList<>();
            List<Seat> order = new ArrayList<>(members);
            Collections.shuffle(order, rnd);
            for (Seat m : order) {
                ProcessedMessage r = m.group.process(winner.commit());
                assertThat(r).as(m + " stages the winning commit").isInstanceOf(StagedCommit.class);
                StagedCommit staged = (StagedCommit) r;
                if (staged.removesSelf()) {
                    // Stays in the old epoch for the late messages of its last epoch.
                    m.lastEpoch = old;
                    m.removal = staged;
                    ghosts.add(m);
                    m.client.bundle = KeyPackageBuilder.forIdentity(m.client.identity).build();
                    removes++;
                } else {
                    m.group.merge(staged);
                    assertThat(m.group.pendingCommit()).as(m + " has no pending commit").isEmpty();
                    stay.add(m);
                }
            }
            for (Seat loser : losers) {
                if (stay.contains(loser)) {
                    assertThat(loser.group.pendingCommit()).as(loser + "'s lost commit is dropped").isEmpty();
                }
            }
            for (Seat ghost : ghosts) {
                if (ghost.lastEpoch < old) {
                    expectRefused(ghost, winner.commit(), "a removed member gets a later commit");
                }
            }
            members.clear();
            members.addAll(stay);
            epoch = old + 1;
            Optional<Welcome> welcome = winner.welcome();
            List<Seat> joined = new ArrayList<>();
            if (welcome.isPresent()) {
                for (Client c : outside()) {
                    if (welcome.get().secretsFor(c.bundle.ref(config.crypto())).isPresent()) {
                        MlsGroup g = MlsGroup.join(welcome.get(), JoinKeys.of(c.bundle, c.identity), config, psks);
                        Seat s = seat(c, g);
                        members.add(s);
                        joined.add(s);
                        adds++;
                    }
                }
            }
            assertThat(joined).hasSameSizeAs(winner.pending().addedMembers());
            for (Seat m : members) {
                assertThat(m.group.epoch()).as(m + "'s epoch").isEqualTo(epoch);
                assertThat(m.group.epochAuthenticator()).as(m + "'s epoch authenticator").isEqualTo(expectedAuth);
            }
            archive();
            // The newcomers get some of the last epoch's messages: they must not read them.
            for (AppMessage msg : sent.subList(Math.max(0, sent.size() - 8), sent.size())) {
                if (msg.epoch() == old) {
                    for (Seat s : joined) {
                        if (rnd.nextBoolean()) {
                            inFlight.add(new Delivery(msg, s, epoch));
                        }
                    }
                }
            }
        }

        void archive() {
            MlsGroup g = members.get(0).group;
            resumptionPsks.put(g.epoch(), Secret.wrap(g.state().resumptionPsk(g.epoch()).orElseThrow().copy()));
        }

        /** A removed member whose last epoch's messages have all arrived merges its removal. */
        void expireGhosts() {
            for (Seat ghost : List.copyOf(ghosts)) {
                boolean waiting = inFlight.stream().anyMatch(d -> d.to() == ghost && d.message().epoch() == ghost.lastEpoch);
                if (!waiting && epoch > ghost.lastEpoch + 2) {
                    ghost.group.merge(ghost.removal);
                    assertThat(ghost.group.isActive()).isFalse();
                    ghosts.remove(ghost);
                    inFlight.removeIf(d -> d.to() == ghost);
                }
            }
        }

        void checkBookkeeping() {
            assertThat(inFlight).isEmpty();
            for (AppMessage msg : sent) {
                for (Seat s : msg.expected()) {
                    assertThat(msg.decrypted().get(s)).as(msg.text() + " decrypted by " + s).isEqualTo(1);
                }
                assertThat(msg.decrypted().keySet()).as(msg.text() + " readers").isEqualTo(msg.expected());
            }
        }
    }
}
