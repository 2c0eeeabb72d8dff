package org.mlsbridge.xmpp.stanza;

import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.mlsbridge.mls.codec.Bytes;

/**
 * An element of our namespace whose text is one base64 MLS structure. Providers never throw on
 * hostile input: they keep the raw text and name the {@code problem}, so that reading the
 * payload is where a bad stanza becomes a checked error and costs one message, not the stream.
 */
public interface Base64PayloadElement extends ExtensionElement {
    /** The element's text as received or as encoded for sending. */
    String text();

    /** Why the provider found the element malformed, if it did. */
    Optional<String> problem();

    /** The decoded bytes, at most {@code maxBytes}. */
    default Bytes payload(int maxBytes) throws MalformedPayloadException {
        if (problem().isPresent()) {
            throw new MalformedPayloadException(problem().get());
        }
        return Base64Text.decode(text(), maxBytes);
    }

    @Override
    default String getNamespace() {
        return MlsNamespace.NAMESPACE;
    }
}
