package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.group.Clients.Client;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * A small randomized run of the sending side: members propose adds, removes, updates and PSKs,
 * send application data, and two of them often commit in the same epoch; the delivery service
 * delivers everything to everyone in one order, the first commit wins. After every epoch all
 * members agree. (The large simulation lives elsewhere; this one guards the sending side.)
 */
class SendingSideRandomTest {
    private static final Bytes PSK_ID = Bytes.wrap(new byte[] {1, 2, 3});

    @Test
    void publicHandshakes() throws MlsException {
        run(GroupConfig.DEFAULT, 40, 4242);
    }

    @Test
    void privateHandshakesNoPastEpochs() throws MlsException {
        run(GroupConfig.DEFAULT.withHandshakes(HandshakeWireFormat.PRIVATE).withPastEpochsKept(0), 20, 7);
    }

    private static void run(GroupConfig config, int epochs, long seed) throws MlsException {
        Random rnd = new Random(seed);
        PskLookup psks = PskLookup.ofExternal(Map.of(PSK_ID, Secret.of(new byte[32])));
        List<Client> pool = Clients.clients("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
        pool.forEach(c -> {
            c.psks = psks;
            c.config = config;
        });
        List<Client> members = new ArrayList<>(List.of(pool.get(0)));
        pool.get(0).create(List.of());
        int removals = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<MlsMessage> queue = new ArrayList<>();
            for (Client c : members) {
                if (rnd.nextInt(3) == 0) {
                    queue.add(c.say("m" + epoch));
                }
                propose(rnd, c, members, pool, queue);
            }
            Client first = members.get(rnd.nextInt(members.size()));
            Client second = members.get(rnd.nextInt(members.size()));
            deliverAll(members, queue);
            CommitOutput winner = first.group.commit(CommitOptions.allCachedProposals().withPath(rnd.nextBoolean()));
            if (second != first) {
                second.group.commit(CommitOptions.allCachedProposals());
            }
            List<Client> before = List.copyOf(members);
            for (Client c : before) {
                c.receive(winner.commit());
            }
            assertThat(second.group.pendingCommit()).isEmpty();
            members.removeIf(c -> !c.group.isActive());
            for (Client c : pool) {
                if (!members.contains(c) && winner.welcome().isPresent()
                        && winner.welcome().get().secretsFor(c.bundle.ref(GroupConfig.DEFAULT.crypto())).isPresent()) {
                    c.join(winner.welcome().get());
                    members.add(c);
                }
            }
            for (Client c : pool) {
                if (!members.contains(c) && c.group != null) {
                    // Removed: a new KeyPackage for a later Add.
                    c.bundle = KeyPackageBuilder.forIdentity(c.identity).build();
                    c.group = null;
                    removals++;
                }
            }
            Clients.assertAgree(members);
            assertThat(members.get(0).say("after " + epoch)).isNotNull();
        }
        assertThat(removals).as("members were removed").isGreaterThan(1);
        assertThat(members.get(0).group.epoch()).isEqualTo(epochs);
    }

    private static void propose(Random rnd, Client c, List<Client> members, List<Client> pool, List<MlsMessage> queue)
            throws MlsException {
        switch (rnd.nextInt(6)) {
            case 0 -> {
                List<Client> outside = pool.stream().filter(p -> !members.contains(p)).toList();
                if (!outside.isEmpty()) {
                    Client joiner = outside.get(rnd.nextInt(outside.size()));
                    queue.add(c.group.propose(new Proposal.Add(joiner.bundle.keyPackage())).message());
                }
            }
            case 1 -> {
                if (members.size() > 2) {
                    Client target = members.get(rnd.nextInt(members.size()));
                    LeafIndex leaf = target.group.state().ownLeaf();
                    queue.add(c.group.propose(new Proposal.Remove(leaf)).message());
                }
            }
            case 2 -> queue.add(c.group.proposeUpdate().message());
            case 3 -> queue.add(c.group.propose(new Proposal.PreSharedKey(c.group.externalPskId(PSK_ID))).message());
            default -> { }
        }
    }

    private static void deliverAll(List<Client> members, List<MlsMessage> queue) throws MlsException {
        for (MlsMessage m : queue) {
            for (Client c : members) {
                ProcessedMessage r = c.group.process(m);
                assertThat(r).isNotInstanceOf(StagedCommit.class);
            }
        }
    }
}
