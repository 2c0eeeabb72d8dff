package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Credential;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * Application data from a member, decrypted and its signature checked. {@link #toString()}
 * leaves the plaintext out, so logging the message does not leak it.
 *
 * @param epoch the epoch it was sent in (earlier than the current one for late messages)
 * @param credential the sender's credential in that epoch
 */
public record ApplicationMessage(Bytes data, LeafIndex sender, Credential credential, long epoch,
        Bytes authenticatedData) implements ProcessedMessage {
    public ApplicationMessage {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(authenticatedData, "authenticatedData");
    }

    /** The sender's identity from its credential, as {@link Member#identity()}. */
    public Bytes senderIdentity() {
        return Member.identityOf(credential);
    }

    @Override
    public String toString() {
        return "ApplicationMessage[sender=" + sender + ", epoch=" + Long.toUnsignedString(epoch) + ", data=("
                + data.length() + " bytes, redacted), authenticatedData=(" + authenticatedData.length() + " bytes)]";
    }
}
