package org.mlsbridge.mls.crypto;

import org.mlsbridge.mls.codec.Bytes;

/** The sender's half of an HPKE exporter-only exchange (RFC 9420 §8.3, external init). */
public record HpkeExport(Bytes kemOutput, Secret exportedSecret) {
}
