package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.List;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.ResumptionPskUsage;

/**
 * Re-initialising and branching (RFC 9420 §11.2, §11.3): a new group whose first commit adds
 * the resumed members and injects the resumption PSK of the old group's current epoch (usage
 * reinit or branch) into the key schedule and the Welcome, so that only members of the old
 * group can join it.
 */
final class GroupResumption {
    private GroupResumption() {
    }

    static ResumedGroup create(GroupState old, ResumptionPskUsage usage, SignatureIdentity creator, Bytes groupId,
            List<Extension> extensions, List<KeyPackage> members, GroupConfig config, PskLookup psks,
            CommitOptions firstCommit) throws MlsException {
        MlsGroup group = MlsGroup.create(creator, groupId, extensions, config, psks);
        PreSharedKeyId psk = new PreSharedKeyId.ResumptionPsk(usage, old.groupId(), old.epoch(),
                nonce(group.state()));
        CommitOptions adds = firstCommit.withValues(members.stream()
                .<Proposal>map(Proposal.Add::new).toList());
        CommitOutput out = group.commit(adds, List.of(psk), ResumptionLookup.of(old, psks));
        group.mergePendingCommit();
        return new ResumedGroup(group, out.welcome());
    }

    /** §11.2: the group a member joined after a ReInit must be the one the ReInit described. */
    static void checkMatchesReInit(Proposal.ReInit reInit, GroupContext joined) throws ValidationException {
        if (!joined.groupId().equals(reInit.groupId()) || joined.version() != reInit.version()
                || joined.cipherSuite() != reInit.cipherSuite() || !joined.extensions().equals(reInit.extensions())) {
            throw new ValidationException("RFC 9420 §11.2: the new group's id, version, cipher suite or extensions "
                    + "differ from the ReInit proposal");
        }
    }

    static Bytes nonce(GroupState s) {
        byte[] n = new byte[s.crypto().hashLength()];
        new SecureRandom().nextBytes(n);
        return Bytes.wrap(n);
    }
}
