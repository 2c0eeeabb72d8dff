package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.MlsException;

/** A cryptographic check failed: bad signature, AEAD tag mismatch, invalid public key. */
public class CryptoException extends MlsException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
