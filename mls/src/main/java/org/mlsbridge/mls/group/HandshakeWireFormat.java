package org.mlsbridge.mls.group;

import org.mlsbridge.mls.message.WireFormat;

/**
 * How a member frames its own proposals and commits (RFC 9420 §6): as PublicMessage, so that a
 * delivery service or an external-sender bot can follow the group's tree and epochs, or as
 * PrivateMessage, which hides them from everyone outside the group. External commits are always
 * PublicMessage (§12.4.3.2); application data is always PrivateMessage.
 */
public enum HandshakeWireFormat {
    PUBLIC(WireFormat.PUBLIC_MESSAGE),
    PRIVATE(WireFormat.PRIVATE_MESSAGE);

    private final WireFormat wireFormat;

    HandshakeWireFormat(WireFormat wireFormat) {
        this.wireFormat = wireFormat;
    }

    public WireFormat wireFormat() {
        return wireFormat;
    }
}
