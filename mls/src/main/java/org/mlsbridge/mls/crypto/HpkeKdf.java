package org.mlsbridge.mls.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** LabeledExtract and LabeledExpand of RFC 9180 §4, bound to one suite_id. */
final class HpkeKdf {
    private static final byte[] VERSION = "HPKE-v1".getBytes(StandardCharsets.US_ASCII);

    private final JdkSymmetric kdf;
    private final byte[] suiteId;
    private final int hashLength;

    HpkeKdf(JdkSymmetric kdf, KdfId kdfId, byte[] suiteId) {
        this.kdf = kdf;
        this.suiteId = suiteId.clone();
        this.hashLength = kdfId.hashLength();
    }

    /** suite_id "KEM" || I2OSP(kem_id, 2) of RFC 9180 §4.1. */
    static HpkeKdf forKem(KemId kem) {
        byte[] id = {'K', 'E', 'M', (byte) (kem.id() >> 8), (byte) kem.id()};
        return new HpkeKdf(new JdkSymmetric(kem.kdf()), kem.kdf(), id);
    }

    /** suite_id "HPKE" || kem_id || kdf_id || aead_id of RFC 9180 §5.1. */
    static byte[] hpkeSuiteId(KemId kem, KdfId kdf, AeadId aead) {
        return new byte[] {'H', 'P', 'K', 'E',
            (byte) (kem.id() >> 8), (byte) kem.id(),
            (byte) (kdf.id() >> 8), (byte) kdf.id(),
            (byte) (aead.id() >> 8), (byte) aead.id()};
    }

    int hashLength() {
        return hashLength;
    }

    byte[] labeledExtract(byte[] salt, String label, byte[] ikm) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] labeledIkm = concat(VERSION, suiteId, l, ikm);
        try {
            return kdf.extract(salt, labeledIkm);
        } finally {
            Arrays.fill(labeledIkm, (byte) 0);
        }
    }

    byte[] labeledExpand(byte[] prk, String label, byte[] info, int length) {
        if (length < 0 || length > 0xffff) {
            throw new IllegalArgumentException("LabeledExpand length out of range: " + length);
        }
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] labeledInfo = concat(new byte[] {(byte) (length >> 8), (byte) length}, VERSION, suiteId, l, info);
        return kdf.expand(prk, labeledInfo, length);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
