package org.mlsbridge.mls.framing;

import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.FramedContent;

/**
 * Finds the signature public key of a message's sender, supplied by the group layer: a member's
 * leaf, an entry of the external_senders extension, or for new members the LeafNode carried in
 * the message itself (the commit's UpdatePath, the Add proposal's KeyPackage). The whole content
 * is passed because those last two keys live inside it.
 */
@FunctionalInterface
public interface SignatureKeyLookup {
    /** Empty when the sender is not known to the group (blank leaf, out-of-range index...). */
    Optional<Bytes> signatureKey(FramedContent content) throws MlsException;
}
