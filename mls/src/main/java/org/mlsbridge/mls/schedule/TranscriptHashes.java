package org.mlsbridge.mls.schedule;

import java.util.Arrays;
import java.util.Objects;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.WireFormat;

/**
 * The two transcript hashes of RFC 9420 §8.2, and the confirmation tag that links them (§6.1).
 *
 * <p>A commit moves the pair forward in three steps, because the confirmation tag needs the new
 * epoch's confirmation key, which in turn needs the new confirmed hash (through the GroupContext):
 * {@link #confirmedAfter} → key schedule → {@link #confirmationTag} → {@link #interimAfter}.
 * {@link #afterCommit} does the first and last step at once for a commit whose tag is known.
 *
 * @param confirmed the confirmed transcript hash that goes into this epoch's GroupContext
 * @param interim the interim transcript hash the next commit starts from
 */
public record TranscriptHashes(Bytes confirmed, Bytes interim) {
    public TranscriptHashes {
        Objects.requireNonNull(confirmed, "confirmed");
        Objects.requireNonNull(interim, "interim");
    }

    /**
     * The state of a freshly created group (§11): the confirmed hash is empty and the interim
     * hash follows from it and the epoch-0 confirmation tag.
     */
    public static TranscriptHashes initial(SuiteCrypto crypto, Bytes confirmationTag) {
        return new TranscriptHashes(Bytes.EMPTY, interimAfter(crypto, Bytes.EMPTY, confirmationTag));
    }

    /**
     * The hashes after {@code commit}, whose confirmation tag is already set (a received commit, or
     * a GroupInfo being checked).
     */
    public TranscriptHashes afterCommit(SuiteCrypto crypto, AuthenticatedContent commit) {
        Bytes newConfirmed = confirmedAfter(crypto, interim, commit);
        Bytes tag = commit.auth().confirmationTag().orElseThrow(
                () -> new IllegalArgumentException("RFC 9420 §6.1: a commit carries a confirmation tag"));
        return new TranscriptHashes(newConfirmed, interimAfter(crypto, newConfirmed, tag));
    }

    /**
     * {@code Hash(interim_transcript_hash_[n-1] || ConfirmedTranscriptHashInput_[n])} where the input is
     * {@code wire_format || FramedContent || opaque signature<V>} of a commit (§8.2).
     */
    public static Bytes confirmedAfter(SuiteCrypto crypto, Bytes interimBefore, AuthenticatedContent commit) {
        return confirmedAfter(crypto, interimBefore, commit.wireFormat(), commit.content(), commit.auth().signature());
    }

    /**
     * The same from the parts, for a committer: the confirmation tag does not exist yet when the
     * confirmed hash is needed (it is computed from it), so no AuthenticatedContent can be built.
     */
    public static Bytes confirmedAfter(SuiteCrypto crypto, Bytes interimBefore, WireFormat wireFormat,
            FramedContent commit, Bytes signature) {
        if (commit.contentType() != ContentType.COMMIT) {
            throw new IllegalArgumentException("RFC 9420 §8.2: only a commit updates the transcript hash");
        }
        TlsWriter w = new TlsWriter(interimBefore.length() + 256);
        w.raw(interimBefore);
        wireFormat.writeTo(w);
        commit.writeTo(w);
        w.opaque(signature);
        return Bytes.wrap(crypto.hash(w.toByteArray()));
    }

    /** {@code Hash(confirmed_transcript_hash_[n] || InterimTranscriptHashInput_[n])}, the input being {@code MAC confirmation_tag} (§8.2). */
    public static Bytes interimAfter(SuiteCrypto crypto, Bytes confirmed, Bytes confirmationTag) {
        TlsWriter w = new TlsWriter(confirmed.length() + confirmationTag.length() + 4);
        w.raw(confirmed);
        w.opaque(confirmationTag);
        return Bytes.wrap(crypto.hash(w.toByteArray()));
    }

    /** {@code confirmation_tag = MAC(confirmation_key, GroupContext.confirmed_transcript_hash)} (§6.1). */
    public static Bytes confirmationTag(SuiteCrypto crypto, Secret confirmationKey, Bytes confirmedTranscriptHash) {
        byte[] key = confirmationKey.copy();
        try {
            return Bytes.wrap(crypto.mac(key, confirmedTranscriptHash.toByteArray()));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Checks a received confirmation tag in constant time. */
    public static void verifyConfirmationTag(SuiteCrypto crypto, Secret confirmationKey, Bytes confirmedTranscriptHash,
            Bytes receivedTag) throws ValidationException {
        Bytes expected = confirmationTag(crypto, confirmationKey, confirmedTranscriptHash);
        if (!expected.constantTimeEquals(receivedTag)) {
            throw new ValidationException(FailureReason.BAD_CONFIRMATION_TAG,
                    "RFC 9420 §6.1: confirmation tag does not match the confirmed transcript hash");
        }
    }
}
