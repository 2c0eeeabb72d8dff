package org.mlsbridge.mls.group;

import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;

/**
 * A {@link PskLookup} that also knows the resumption PSKs (RFC 9420 §8.6) a group state still
 * holds, for joining or creating the group that a ReInit or branch (§11.2, §11.3) resumes from it.
 */
public final class ResumptionLookup implements PskLookup {
    private final GroupState source;
    private final PskLookup fallback;

    private ResumptionLookup(GroupState source, PskLookup fallback) {
        this.source = source;
        this.fallback = fallback;
    }

    public static PskLookup of(GroupState source, PskLookup fallback) {
        return new ResumptionLookup(source, fallback);
    }

    @Override
    public Optional<Secret> externalPsk(Bytes pskId) {
        return fallback.externalPsk(pskId);
    }

    @Override
    public Optional<Secret> resumptionPsk(Bytes groupId, long epoch) {
        if (groupId.equals(source.groupId())) {
            Optional<Secret> own = source.resumptionPsk(epoch);
            if (own.isPresent()) {
                return own;
            }
        }
        return fallback.resumptionPsk(groupId, epoch);
    }
}
