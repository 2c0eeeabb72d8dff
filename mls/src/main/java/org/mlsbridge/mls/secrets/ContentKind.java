package org.mlsbridge.mls.secrets;

/**
 * Which of a leaf's two hash ratchets a message uses (RFC 9420 §9.1): handshake messages
 * (proposals and commits) and application messages are keyed independently, so losing or
 * reordering one kind never disturbs the other.
 */
public enum ContentKind {
    HANDSHAKE("handshake"),
    APPLICATION("application");

    private final String label;

    ContentKind(String label) {
        this.label = label;
    }

    /** The ExpandWithLabel label that derives this ratchet's first secret from the leaf secret. */
    public String label() {
        return label;
    }
}
