package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.schedule.PskInput;
import org.mlsbridge.mls.schedule.PskSecret;

/**
 * Finds the value of every PSK a commit or Welcome names and folds them into psk_secret (RFC
 * 9420 §8.4). Resumption PSKs of this group come from the group state first (current epoch and
 * the kept window), then from the lookup; external PSKs only from the lookup.
 */
final class PskResolver {
    private PskResolver() {
    }

    /** For a member processing a commit of {@code state}'s group. */
    static Secret resolve(GroupState state, List<PreSharedKeyId> ids, PskLookup lookup) throws ValidationException {
        return compute(state.crypto(), ids, lookup, Optional.of(state));
    }

    /** For a new member whose GroupSecrets list PSKs. */
    static Secret resolveForJoin(SuiteCrypto crypto, List<PreSharedKeyId> ids, PskLookup lookup)
            throws ValidationException {
        return compute(crypto, ids, lookup, Optional.empty());
    }

    private static Secret compute(SuiteCrypto crypto, List<PreSharedKeyId> ids, PskLookup lookup,
            Optional<GroupState> state) throws ValidationException {
        List<PskInput> inputs = new ArrayList<>(ids.size());
        for (PreSharedKeyId id : ids) {
            if (id.pskNonce().length() != crypto.hashLength()) {
                throw new ValidationException("RFC 9420 §8.4: psk_nonce must be " + crypto.hashLength()
                        + " bytes, got " + id.pskNonce().length());
            }
            inputs.add(new PskInput(Bytes.wrap(id.toByteArray()), value(id, lookup, state)));
        }
        return PskSecret.compute(crypto, inputs);
    }

    private static Secret value(PreSharedKeyId id, PskLookup lookup, Optional<GroupState> state)
            throws ValidationException {
        return switch (id) {
            case PreSharedKeyId.ExternalPsk e -> lookup.externalPsk(e.pskId()).orElseThrow(
                    () -> new ValidationException("RFC 9420 §8.4: unknown external PSK " + e.pskId()));
            case PreSharedKeyId.ResumptionPsk r -> {
                Optional<Secret> own = state.filter(s -> s.groupId().equals(r.pskGroupId()))
                        .flatMap(s -> s.resumptionPsk(r.pskEpoch()));
                yield own.or(() -> lookup.resumptionPsk(r.pskGroupId(), r.pskEpoch())).orElseThrow(
                        () -> new ValidationException("RFC 9420 §8.4: no resumption PSK for group " + r.pskGroupId()
                                + " epoch " + Long.toUnsignedString(r.pskEpoch())));
            }
        };
    }
}
