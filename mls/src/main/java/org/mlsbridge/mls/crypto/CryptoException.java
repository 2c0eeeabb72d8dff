package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;

/**
 * A cryptographic check failed: AEAD tag mismatch ({@link FailureReason#DECRYPTION_FAILED}),
 * invalid public key and the like ({@link FailureReason#CRYPTO}).
 */
public class CryptoException extends MlsException {
    public CryptoException(String message) {
        super(FailureReason.CRYPTO, message);
    }

    public CryptoException(String message, Throwable cause) {
        super(FailureReason.CRYPTO, message, cause);
    }

    public CryptoException(FailureReason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }
}
