package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ProposalOrRef;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * Corrupted copies of real messages (a commit with path and Welcome-bound adds, a proposal, an
 * application message): each is either rejected with an {@link MlsException} that leaves the
 * group as it was, or (when the flip hit nothing checked) accepted; never any other exception.
 * The untouched messages work afterwards.
 */
class HostileMessageTest {
    @Test
    void bitFlipsNeverEscapeAsUncheckedExceptions() throws MlsException {
        GroupFixture f = new GroupFixture();
        MlsMessage proposal = f.aliceProposes(new Proposal.Remove(LeafIndex.of(2)));
        TestCommitter.Identity dave = TestCommitter.identity("dave");
        TestCommitter.Committed commit = TestCommitter.commit(f.aliceState, List.of(
                new ProposalOrRef.ByReference(f.aliceState.proposals().keySet().iterator().next()),
                TestCommitter.byValue(new Proposal.Add(dave.bundle().keyPackage()))));
        MlsMessage app = TestCommitter.application(f.aliceState, "payload");
        Random random = new Random(1234);
        for (MlsMessage good : List.of(proposal, app, commit.message())) {
            byte[] encoded = good.toByteArray();
            for (int i = 0; i < 150; i++) {
                byte[] bad = encoded.clone();
                int flips = 1 + random.nextInt(3);
                for (int k = 0; k < flips; k++) {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                }
                feed(f.bobGroup, bad);
            }
        }
        f.bobGroup.process(proposal);
        assertThat(f.bobGroup.process(app)).isInstanceOf(ApplicationMessage.class);
        GroupFixture.processAndMerge(f.bobGroup, commit.message());
        assertThat(f.bobGroup.epochAuthenticator()).isEqualTo(commit.next().epochAuthenticator());
    }

    private static void feed(MlsGroup group, byte[] bytes) {
        MlsMessage m;
        try {
            m = MlsMessage.decode(bytes);
        } catch (MlsException e) {
            return;
        }
        GroupState before = group.state();
        try {
            group.process(m);
        } catch (MlsException e) {
            assertThat(group.state()).isSameAs(before);
        }
    }
}
