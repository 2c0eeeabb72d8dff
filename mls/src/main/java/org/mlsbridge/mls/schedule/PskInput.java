package org.mlsbridge.mls.schedule;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;

/**
 * One pre-shared key going into psk_secret (RFC 9420 §8.4).
 *
 * @param encodedId the TLS encoding of its PreSharedKeyID, e.g. {@code Bytes.wrap(pskId.toByteArray())}
 * @param psk the PSK value (an external PSK, or the resumption_psk of the referenced epoch)
 */
public record PskInput(Bytes encodedId, Secret psk) {
}
