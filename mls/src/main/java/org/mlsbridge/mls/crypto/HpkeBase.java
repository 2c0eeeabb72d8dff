package org.mlsbridge.mls.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.mlsbridge.mls.codec.Bytes;

/**
 * HPKE base mode (RFC 9180 §5.1.1) with single-shot seal/open (§6.1) and the secret exporter
 * (§5.3). The KEM runs on BouncyCastle curves; HKDF and the AEAD go through the JDK, whose AES-GCM
 * and SHA-2 use CPU instructions. Stateless and thread-safe.
 */
final class HpkeBase {
    private static final byte MODE_BASE = 0x00;

    /** The key schedule's output for one exchange; single-shot use means sequence number 0. */
    private record Context(byte[] key, byte[] baseNonce, byte[] exporterSecret) {
        void wipe() {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(baseNonce, (byte) 0);
            Arrays.fill(exporterSecret, (byte) 0);
        }
    }

    private final Dhkem kem;
    private final AeadId aead;
    private final JdkSymmetric symmetric;
    private final HpkeKdf kdf;

    HpkeBase(KemId kemId, KdfId kdfId, AeadId aead) {
        this.kem = new Dhkem(kemId);
        this.aead = aead;
        this.symmetric = new JdkSymmetric(kdfId, aead);
        this.kdf = new HpkeKdf(symmetric, kdfId, HpkeKdf.hpkeSuiteId(kemId, kdfId, aead));
    }

    Dhkem kem() {
        return kem;
    }

    private Context keySchedule(byte[] sharedSecret, byte[] info) {
        byte[] pskIdHash = kdf.labeledExtract(new byte[0], "psk_id_hash", new byte[0]);
        byte[] infoHash = kdf.labeledExtract(new byte[0], "info_hash", info);
        byte[] context = HpkeKdf.concat(new byte[] {MODE_BASE}, pskIdHash, infoHash);
        byte[] secret = kdf.labeledExtract(sharedSecret, "secret", new byte[0]);
        try {
            return new Context(
                    kdf.labeledExpand(secret, "key", context, aead.keyLength()),
                    kdf.labeledExpand(secret, "base_nonce", context, aead.nonceLength()),
                    kdf.labeledExpand(secret, "exp", context, kdf.hashLength()));
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(sharedSecret, (byte) 0);
        }
    }

    HpkeCiphertext seal(byte[] pkR, byte[] info, byte[] aad, byte[] plaintext, SecureRandom random)
            throws CryptoException {
        Dhkem.Encapsulation e = kem.encap(pkR, random);
        Context ctx = keySchedule(e.sharedSecret(), info);
        try {
            byte[] ct = symmetric.seal(ctx.key(), ctx.baseNonce(), aad, plaintext);
            return new HpkeCiphertext(Bytes.wrap(e.enc()), Bytes.wrap(ct));
        } finally {
            ctx.wipe();
        }
    }

    byte[] open(byte[] skR, HpkeCiphertext ciphertext, byte[] info, byte[] aad) throws CryptoException {
        byte[] sharedSecret = kem.decap(ciphertext.kemOutput().toByteArray(), skR);
        Context ctx = keySchedule(sharedSecret, info);
        try {
            return symmetric.open(ctx.key(), ctx.baseNonce(), aad, ciphertext.ciphertext().toByteArray());
        } finally {
            ctx.wipe();
        }
    }

    HpkeExport exportSender(byte[] pkR, byte[] info, byte[] exporterContext, int length, SecureRandom random)
            throws CryptoException {
        checkExportLength(length);
        Dhkem.Encapsulation e = kem.encap(pkR, random);
        Context ctx = keySchedule(e.sharedSecret(), info);
        try {
            return new HpkeExport(Bytes.wrap(e.enc()), Secret.wrap(export(ctx, exporterContext, length)));
        } finally {
            ctx.wipe();
        }
    }

    byte[] exportReceiver(byte[] skR, byte[] enc, byte[] info, byte[] exporterContext, int length)
            throws CryptoException {
        checkExportLength(length);
        Context ctx = keySchedule(kem.decap(enc, skR), info);
        try {
            return export(ctx, exporterContext, length);
        } finally {
            ctx.wipe();
        }
    }

    private byte[] export(Context ctx, byte[] exporterContext, int length) {
        return kdf.labeledExpand(ctx.exporterSecret(), "sec", exporterContext, length);
    }

    private void checkExportLength(int length) {
        if (length < 0 || length > 255 * kdf.hashLength()) {
            throw new IllegalArgumentException("RFC 9180 §5.3: export length " + length + " exceeds 255*Nh");
        }
    }
}
