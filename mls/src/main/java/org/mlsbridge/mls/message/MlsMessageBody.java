package org.mlsbridge.mls.message;

import org.mlsbridge.mls.codec.TlsEncodable;

/** What an {@link MlsMessage} carries; the variant decides the wire format. */
public sealed interface MlsMessageBody extends TlsEncodable
        permits PublicMessage, PrivateMessage, Welcome, GroupInfo, KeyPackage {
    WireFormat wireFormat();

    /** This body in an mls10 MLSMessage, ready to send. */
    default MlsMessage toMessage() {
        return MlsMessage.of(this);
    }
}
