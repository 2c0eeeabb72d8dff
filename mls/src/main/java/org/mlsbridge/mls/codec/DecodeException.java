package org.mlsbridge.mls.codec;

import org.mlsbridge.mls.MlsException;

/** Bytes that are not a valid TLS-presentation-language encoding of the expected structure. */
public class DecodeException extends MlsException {
    public DecodeException(String message) {
        super(message);
    }
}
