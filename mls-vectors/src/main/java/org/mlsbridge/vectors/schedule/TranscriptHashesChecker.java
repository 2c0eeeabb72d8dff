package org.mlsbridge.vectors.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * transcript-hashes.json: from the interim hash before a commit and the commit's
 * AuthenticatedContent, the confirmed and interim hashes after it; the commit's confirmation tag
 * must verify against the new confirmed hash.
 */
public final class TranscriptHashesChecker implements VectorChecker {
    @Override
    public String kind() {
        return "transcript-hashes";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "confirmation_key", "authenticated_content", "interim_transcript_hash_before",
                "confirmed_transcript_hash_after", "interim_transcript_hash_after");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(Json.suite(c));
        Secret confirmationKey = Secret.wrap(Json.hex(c, "confirmation_key"));
        AuthenticatedContent commit = TlsReader.decode(Json.hex(c, "authenticated_content"),
                AuthenticatedContent::readFrom);
        Bytes interimBefore = Json.bytes(c, "interim_transcript_hash_before");

        Bytes confirmed = TranscriptHashes.confirmedAfter(crypto, interimBefore, commit);
        Check.bytes("confirmed_transcript_hash_after", Json.bytes(c, "confirmed_transcript_hash_after"), confirmed);

        Bytes tag = commit.auth().confirmationTag().orElseThrow();
        Check.bytes("confirmation_tag", tag, TranscriptHashes.confirmationTag(crypto, confirmationKey, confirmed));
        TranscriptHashes.verifyConfirmationTag(crypto, confirmationKey, confirmed, tag);

        TranscriptHashes after = new TranscriptHashes(Bytes.EMPTY, interimBefore).afterCommit(crypto, commit);
        Check.bytes("confirmed_transcript_hash_after (afterCommit)", Json.bytes(c, "confirmed_transcript_hash_after"),
                after.confirmed());
        Check.bytes("interim_transcript_hash_after", Json.bytes(c, "interim_transcript_hash_after"), after.interim());
    }
}
