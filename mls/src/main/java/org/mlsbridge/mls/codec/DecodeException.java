package org.mlsbridge.mls.codec;

import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.MlsException;

/**
 * Bytes that are not a valid TLS-presentation-language encoding of the expected structure
 * (reason {@link FailureReason#DECODE}), or an encoding larger than a configured limit
 * ({@link FailureReason#TOO_LARGE}).
 */
public class DecodeException extends MlsException {
    public DecodeException(String message) {
        super(FailureReason.DECODE, message);
    }

    public DecodeException(FailureReason reason, String message) {
        super(reason, message);
    }
}
