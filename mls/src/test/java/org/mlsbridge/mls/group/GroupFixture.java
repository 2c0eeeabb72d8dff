package org.mlsbridge.mls.group;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;

/**
 * Alice (driven by {@link TestCommitter}) creates a group and adds Bob and Carol, who join
 * through the library's {@link MlsGroup#join}. Alice's state advances by the committer's own
 * successor state; she caches her own proposals by processing them like anyone else.
 */
final class GroupFixture {
    final TestCommitter.Identity alice;
    final TestCommitter.Identity bob;
    final TestCommitter.Identity carol;
    GroupState aliceState;
    final MlsGroup bobGroup;
    final MlsGroup carolGroup;

    GroupFixture(GroupConfig bobConfig) throws MlsException {
        alice = TestCommitter.identity("alice");
        bob = TestCommitter.identity("bob");
        carol = TestCommitter.identity("carol");
        aliceState = TestCommitter.create(alice, Bytes.wrap("fixture-group".getBytes(StandardCharsets.US_ASCII)));
        TestCommitter.Committed added = TestCommitter.commit(aliceState, List.of(
                TestCommitter.byValue(new Proposal.Add(bob.bundle().keyPackage())),
                TestCommitter.byValue(new Proposal.Add(carol.bundle().keyPackage()))));
        aliceState = added.next();
        bobGroup = MlsGroup.join(added.welcome().orElseThrow(), bob.joinKeys(), bobConfig, PskLookup.none());
        carolGroup = MlsGroup.join(added.welcome().orElseThrow(), carol.joinKeys(), GroupConfig.DEFAULT,
                PskLookup.none());
    }

    GroupFixture() throws MlsException {
        this(GroupConfig.DEFAULT);
    }

    /** Alice proposes, and caches her own proposal as the others will. */
    MlsMessage aliceProposes(Proposal proposal) throws MlsException {
        MlsMessage m = TestCommitter.propose(aliceState, proposal);
        aliceState = new MessageProcessor(GroupConfig.DEFAULT, PskLookup.none()).process(aliceState, m).state();
        return m;
    }

    /** Alice commits; returns the commit message, her state moves on. */
    MlsMessage aliceCommits(List<org.mlsbridge.mls.message.ProposalOrRef> proposals) throws MlsException {
        TestCommitter.Committed c = TestCommitter.commit(aliceState, proposals);
        aliceState = c.next();
        return c.message();
    }

    /** Bob processes and merges a commit. */
    static StagedCommit processAndMerge(MlsGroup group, MlsMessage commit) throws MlsException {
        StagedCommit staged = (StagedCommit) group.process(commit);
        group.merge(staged);
        return staged;
    }
}
