package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Proposal;

/**
 * What a commit covers and how it is sent (RFC 9420 §12.4).
 *
 * @param references ProposalRefs of cached proposals to commit by reference
 * @param allCached commit every cached proposal by reference (after {@code references}), leaving
 *     out those that cannot go together (see {@link CachedProposalPicker})
 * @param byValue new proposals committed by value
 * @param path whether to include an UpdatePath even when §12.4 does not require one (default
 *     false: an add-only commit then costs no HPKE encryption); it is always included when
 *     required (empty commits, Update, Remove, ExternalInit, GroupContextExtensions, custom types)
 * @param authenticatedData sent in the clear but authenticated
 * @param ratchetTreeInGroupInfo put the ratchet_tree extension in the GroupInfo (and the
 *     Welcome's); otherwise joiners need the tree out of band
 * @param externalPubInGroupInfo put the external_pub extension in the GroupInfo, so that it
 *     allows external commits (§12.4.3.2)
 */
public record CommitOptions(List<Bytes> references, boolean allCached, List<Proposal> byValue, boolean path,
        Bytes authenticatedData, boolean ratchetTreeInGroupInfo, boolean externalPubInGroupInfo) {
    public CommitOptions {
        references = List.copyOf(references);
        byValue = List.copyOf(byValue);
        Objects.requireNonNull(authenticatedData, "authenticatedData");
    }

    /** Nothing by reference or value, a path only where required, both GroupInfo extensions. */
    public static CommitOptions empty() {
        return new CommitOptions(List.of(), false, List.of(), false, Bytes.EMPTY, true, true);
    }

    /** Every cached proposal. */
    public static CommitOptions allCachedProposals() {
        return empty().withAllCached(true);
    }

    /** Only these proposals by value. */
    public static CommitOptions of(Proposal... proposals) {
        return empty().withValues(List.of(proposals));
    }

    public CommitOptions withReferences(List<Bytes> refs) {
        return new CommitOptions(refs, allCached, byValue, path, authenticatedData, ratchetTreeInGroupInfo,
                externalPubInGroupInfo);
    }

    public CommitOptions withAllCached(boolean all) {
        return new CommitOptions(references, all, byValue, path, authenticatedData, ratchetTreeInGroupInfo,
                externalPubInGroupInfo);
    }

    /** {@code proposals} added to those by value. */
    public CommitOptions withValues(List<Proposal> proposals) {
        List<Proposal> more = new ArrayList<>(byValue);
        more.addAll(proposals);
        return new CommitOptions(references, allCached, more, path, authenticatedData, ratchetTreeInGroupInfo,
                externalPubInGroupInfo);
    }

    public CommitOptions withPath(boolean withPath) {
        return new CommitOptions(references, allCached, byValue, withPath, authenticatedData, ratchetTreeInGroupInfo,
                externalPubInGroupInfo);
    }

    public CommitOptions withAuthenticatedData(Bytes data) {
        return new CommitOptions(references, allCached, byValue, path, data, ratchetTreeInGroupInfo,
                externalPubInGroupInfo);
    }

    public CommitOptions withRatchetTreeInGroupInfo(boolean include) {
        return new CommitOptions(references, allCached, byValue, path, authenticatedData, include,
                externalPubInGroupInfo);
    }

    public CommitOptions withExternalPubInGroupInfo(boolean include) {
        return new CommitOptions(references, allCached, byValue, path, authenticatedData, ratchetTreeInGroupInfo,
                include);
    }
}
