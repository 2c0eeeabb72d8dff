package org.mlsbridge.xmpp.stanza;

/** An mlsbridge element whose content cannot be a payload (empty, bad base64, too large). */
public final class MalformedPayloadException extends Exception {
    public MalformedPayloadException(String message) {
        super(message);
    }
}
