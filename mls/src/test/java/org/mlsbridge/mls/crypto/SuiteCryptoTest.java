package org.mlsbridge.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlsbridge.mls.codec.Bytes;

/** Round trips, tampering and hostile keys for every suite of the default provider. */
class SuiteCryptoTest {
    private static final byte[] MESSAGE = "attack at dawn".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "info".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);

    private static SuiteCrypto crypto(CipherSuite suite) {
        return CryptoProvider.defaultProvider().suite(suite);
    }

    private static boolean isXdh(CipherSuite suite) {
        return suite.kem() == KemId.DHKEM_X25519_HKDF_SHA256 || suite.kem() == KemId.DHKEM_X448_HKDF_SHA512;
    }

    private static boolean isEdDsa(CipherSuite suite) {
        return suite.signature() == SignatureScheme.ED25519 || suite.signature() == SignatureScheme.ED448;
    }

    private static byte[] flip(byte[] b, int index) {
        byte[] c = b.clone();
        c[index] ^= 0x01;
        return c;
    }

    // ---- signatures ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void signVerifyRoundTrip(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        SignatureKeyPair kp = c.generateSignatureKeyPair();
        assertThat(c.signaturePublicKey(kp.privateKey())).isEqualTo(kp.publicKey());
        byte[] sig = c.sign(kp.privateKey(), MESSAGE);
        assertThat(c.verify(kp.publicKey(), MESSAGE, sig)).isTrue();
        assertThat(c.verifyWithLabel(kp.publicKey(), "L", MESSAGE, c.signWithLabel(kp.privateKey(), "L", MESSAGE)))
                .isTrue();
        assertThat(c.verify(kp.publicKey(), new byte[0], c.sign(kp.privateKey(), new byte[0]))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void tamperedOrMalformedSignatureIsFalse(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        SignatureKeyPair kp = c.generateSignatureKeyPair();
        SignatureKeyPair other = c.generateSignatureKeyPair();
        byte[] sig = c.sign(kp.privateKey(), MESSAGE);
        assertThat(c.verify(kp.publicKey(), flip(MESSAGE, 0), sig)).isFalse();
        assertThat(c.verify(other.publicKey(), MESSAGE, sig)).isFalse();
        for (int i = 0; i < sig.length; i++) {
            assertThat(c.verify(kp.publicKey(), MESSAGE, flip(sig, i))).as("bit flipped in byte %d", i).isFalse();
        }
        assertThat(c.verify(kp.publicKey(), MESSAGE, new byte[0])).isFalse();
        assertThat(c.verify(kp.publicKey(), MESSAGE, Arrays.copyOf(sig, sig.length - 1))).isFalse();
        assertThat(c.verify(kp.publicKey(), MESSAGE, Arrays.copyOf(sig, sig.length + 1))).isFalse();
        assertThat(c.verify(kp.publicKey(), MESSAGE, new byte[sig.length])).isFalse();
        byte[] ff = new byte[sig.length];
        Arrays.fill(ff, (byte) 0xff);
        assertThat(c.verify(kp.publicKey(), MESSAGE, ff)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
        "MLS_256_DHKEMP521_AES256GCM_SHA512_P521", "MLS_256_DHKEMP384_AES256GCM_SHA384_P384"})
    void ecdsaRejectsNonStrictDer(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        SignatureKeyPair kp = c.generateSignatureKeyPair();
        byte[] sig = c.sign(kp.privateKey(), MESSAGE);
        assertThat(sig[0]).isEqualTo((byte) 0x30);
        // Trailing garbage after the SEQUENCE.
        byte[] trailing = Arrays.copyOf(sig, sig.length + 2);
        assertThat(c.verify(kp.publicKey(), MESSAGE, trailing)).isFalse();
        // The same SEQUENCE with a non-minimal long-form length (BER, not DER).
        int bodyStart = (sig[1] & 0x80) == 0 ? 2 : 2 + (sig[1] & 0x7f);
        byte[] body = Arrays.copyOfRange(sig, bodyStart, sig.length);
        byte[] ber = new byte[3 + 2 + body.length];
        ber[0] = 0x30;
        ber[1] = (byte) 0x83;
        ber[2] = 0;
        ber[3] = (byte) (body.length >> 8);
        ber[4] = (byte) body.length;
        System.arraycopy(body, 0, ber, 5, body.length);
        assertThat(c.verify(kp.publicKey(), MESSAGE, ber)).isFalse();
        // A DER SEQUENCE of two INTEGERs out of range (r = 0).
        assertThat(c.verify(kp.publicKey(), MESSAGE, HexFormat.of().parseHex("3006020100020101"))).isFalse();
    }

    /**
     * Signatures we make have s <= n/2 (low S), so verifiers that insist on it accept them;
     * received high-S signatures (other stacks do not normalise) still verify.
     */
    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
        "MLS_256_DHKEMP521_AES256GCM_SHA512_P521", "MLS_256_DHKEMP384_AES256GCM_SHA384_P384"})
    void ecdsaSignsLowSAndAcceptsHighS(CipherSuite suite) throws Exception {
        SuiteCrypto c = crypto(suite);
        NistCurve curve = switch (suite.signature()) {
            case ECDSA_SECP256R1_SHA256 -> NistCurve.P256;
            case ECDSA_SECP384R1_SHA384 -> NistCurve.P384;
            default -> NistCurve.P521;
        };
        java.math.BigInteger n = curve.order();
        java.math.BigInteger half = n.shiftRight(1);
        SignatureKeyPair kp = c.generateSignatureKeyPair();
        // Half of raw ECDSA signatures have a high S; 40 messages make missing one ~2^-40.
        for (int i = 0; i < 40; i++) {
            byte[] message = ("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] sig = c.sign(kp.privateKey(), message);
            java.math.BigInteger[] rs = org.bouncycastle.crypto.signers.StandardDSAEncoding.INSTANCE.decode(n, sig);
            assertThat(rs[1]).as("s of signature %d", i).isLessThanOrEqualTo(half);
            byte[] high = org.bouncycastle.crypto.signers.StandardDSAEncoding.INSTANCE.encode(n, rs[0],
                    n.subtract(rs[1]));
            assertThat(c.verify(kp.publicKey(), message, high)).as("high-S twin of signature %d", i).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void edDsaIsDeterministicAndEcdsaUsesRfc6979(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        SignatureKeyPair kp = c.generateSignatureKeyPair();
        assertThat(c.sign(kp.privateKey(), MESSAGE)).isEqualTo(c.sign(kp.privateKey(), MESSAGE));
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void hostileSignatureKeysAreCryptoExceptions(CipherSuite suite) {
        SuiteCrypto c = crypto(suite);
        byte[] sig = new byte[64];
        int pkLen = c.generateSignatureKeyPair().publicKey().length();
        for (byte[] pk : hostilePublicKeys(pkLen, !isEdDsa(suite))) {
            assertThatThrownBy(() -> c.verify(Bytes.of(pk), MESSAGE, sig))
                    .as("public key %s", HexFormat.of().formatHex(pk)).isInstanceOf(CryptoException.class);
        }
        for (byte[] sk : List.of(new byte[0], new byte[100], new byte[isEdDsa(suite) ? 31 : 32])) {
            if (!isEdDsa(suite) && sk.length == 32) {
                // A zero scalar is out of range for ECDSA.
                assertThatThrownBy(() -> c.sign(Secret.of(sk), MESSAGE)).isInstanceOf(CryptoException.class);
                continue;
            }
            assertThatThrownBy(() -> c.sign(Secret.of(sk), MESSAGE)).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> c.signaturePublicKey(Secret.of(sk))).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void ed25519NonCanonicalPublicKeyIsCryptoException() {
        SuiteCrypto c = crypto(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
        // y = 2^255 - 1 >= p: not a canonical field element.
        byte[] pk = new byte[32];
        Arrays.fill(pk, (byte) 0xff);
        pk[31] = 0x7f;
        assertThatThrownBy(() -> c.verify(Bytes.of(pk), MESSAGE, new byte[64])).isInstanceOf(CryptoException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
        "MLS_256_DHKEMP521_AES256GCM_SHA512_P521", "MLS_256_DHKEMP384_AES256GCM_SHA384_P384"})
    void ecdsaScalarAtOrderIsCryptoException(CipherSuite suite) {
        NistCurve curve = switch (suite.signature()) {
            case ECDSA_SECP256R1_SHA256 -> NistCurve.P256;
            case ECDSA_SECP384R1_SHA384 -> NistCurve.P384;
            default -> NistCurve.P521;
        };
        byte[] n = curve.encodeScalar(curve.order());
        assertThatThrownBy(() -> crypto(suite).sign(Secret.of(n), MESSAGE)).isInstanceOf(CryptoException.class);
    }

    // ---- HPKE ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void hpkeSealOpenRoundTrip(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        HpkeKeyPair kp = c.generateHpkeKeyPair();
        assertThat(kp.publicKey().length()).isEqualTo(suite.kem().publicKeyLength());
        assertThat(kp.privateKey().length()).isEqualTo(suite.kem().privateKeyLength());
        assertThat(c.hpkePublicKey(kp.privateKey())).isEqualTo(kp.publicKey());
        HpkeCiphertext ct = c.hpkeSeal(kp.publicKey(), INFO, AAD, MESSAGE);
        assertThat(ct.kemOutput().length()).isEqualTo(suite.kem().publicKeyLength());
        assertThat(ct.ciphertext().length()).isEqualTo(MESSAGE.length + AeadId.TAG_LENGTH);
        assertThat(c.hpkeOpen(kp.privateKey(), ct, INFO, AAD)).isEqualTo(MESSAGE);
        HpkeCiphertext empty = c.hpkeSeal(kp.publicKey(), new byte[0], new byte[0], new byte[0]);
        assertThat(c.hpkeOpen(kp.privateKey(), empty, new byte[0], new byte[0])).isEmpty();
        HpkeCiphertext labeled = c.encryptWithLabel(kp.publicKey(), "L", INFO, MESSAGE);
        assertThat(c.decryptWithLabel(kp.privateKey(), "L", INFO, labeled)).isEqualTo(MESSAGE);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void hpkeOpenFailuresAreCryptoExceptions(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        HpkeKeyPair kp = c.generateHpkeKeyPair();
        HpkeKeyPair other = c.generateHpkeKeyPair();
        HpkeCiphertext ct = c.hpkeSeal(kp.publicKey(), INFO, AAD, MESSAGE);
        byte[] body = ct.ciphertext().toByteArray();
        byte[] enc = ct.kemOutput().toByteArray();
        assertThatThrownBy(() -> c.hpkeOpen(other.privateKey(), ct, INFO, AAD)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), ct, flip(INFO, 0), AAD))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), ct, INFO, flip(AAD, 0)))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> c.decryptWithLabel(kp.privateKey(), "other", INFO,
                c.encryptWithLabel(kp.publicKey(), "L", INFO, MESSAGE))).isInstanceOf(CryptoException.class);
        for (int i : new int[] {0, body.length / 2, body.length - 1}) {
            HpkeCiphertext t = new HpkeCiphertext(ct.kemOutput(), Bytes.wrap(flip(body, i)));
            assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), t, INFO, AAD)).isInstanceOf(CryptoException.class);
        }
        for (int i : new int[] {1, enc.length / 2, enc.length - 1}) {
            HpkeCiphertext t = new HpkeCiphertext(Bytes.wrap(flip(enc, i)), ct.ciphertext());
            assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), t, INFO, AAD)).isInstanceOf(CryptoException.class);
        }
        HpkeCiphertext truncated = new HpkeCiphertext(ct.kemOutput(), Bytes.wrap(Arrays.copyOf(body, 5)));
        assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), truncated, INFO, AAD))
                .isInstanceOf(CryptoException.class);
        HpkeCiphertext emptyBody = new HpkeCiphertext(ct.kemOutput(), Bytes.EMPTY);
        assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), emptyBody, INFO, AAD))
                .isInstanceOf(CryptoException.class);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void exporterSenderAndReceiverAgree(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        HpkeKeyPair kp = c.generateHpkeKeyPair();
        int n = c.hashLength();
        HpkeExport sent = c.hpkeExportSender(kp.publicKey(), INFO, AAD, n);
        assertThat(sent.exportedSecret().length()).isEqualTo(n);
        Secret received = c.hpkeExportReceiver(kp.privateKey(), sent.kemOutput(), INFO, AAD, n);
        assertThat(received).isEqualTo(sent.exportedSecret());
        assertThat(c.hpkeExportReceiver(kp.privateKey(), sent.kemOutput(), INFO, flip(AAD, 0), n))
                .isNotEqualTo(sent.exportedSecret());
        assertThat(c.hpkeExportReceiver(kp.privateKey(), sent.kemOutput(), flip(INFO, 0), AAD, n))
                .isNotEqualTo(sent.exportedSecret());
        // Two senders to the same key get independent secrets.
        assertThat(c.hpkeExportSender(kp.publicKey(), INFO, AAD, n).exportedSecret())
                .isNotEqualTo(sent.exportedSecret());
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void deriveHpkeKeyPairIsDeterministic(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        byte[] ikm = new byte[c.hashLength()];
        new Random(42).nextBytes(ikm);
        HpkeKeyPair a = c.deriveHpkeKeyPair(ikm);
        HpkeKeyPair b = c.deriveHpkeKeyPair(ikm.clone());
        assertThat(a.privateKey()).isEqualTo(b.privateKey());
        assertThat(a.publicKey()).isEqualTo(b.publicKey());
        assertThat(c.hpkePublicKey(a.privateKey())).isEqualTo(a.publicKey());
        assertThat(c.deriveHpkeKeyPair(flip(ikm, 0)).publicKey()).isNotEqualTo(a.publicKey());
        assertThat(c.hpkeOpen(b.privateKey(), c.hpkeSeal(a.publicKey(), INFO, AAD, MESSAGE), INFO, AAD))
                .isEqualTo(MESSAGE);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void hostileHpkePublicKeysAreCryptoExceptions(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        HpkeKeyPair kp = c.generateHpkeKeyPair();
        HpkeCiphertext good = c.hpkeSeal(kp.publicKey(), INFO, AAD, MESSAGE);
        for (byte[] pk : hostilePublicKeys(suite.kem().publicKeyLength(), !isXdh(suite))) {
            String what = HexFormat.of().formatHex(pk);
            assertThatThrownBy(() -> c.hpkeSeal(Bytes.of(pk), INFO, AAD, MESSAGE)).as(what)
                    .isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> c.hpkeExportSender(Bytes.of(pk), INFO, AAD, 32)).as(what)
                    .isInstanceOf(CryptoException.class);
            HpkeCiphertext t = new HpkeCiphertext(Bytes.of(pk), good.ciphertext());
            assertThatThrownBy(() -> c.hpkeOpen(kp.privateKey(), t, INFO, AAD)).as(what)
                    .isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> c.hpkeExportReceiver(kp.privateKey(), Bytes.of(pk), INFO, AAD, 32)).as(what)
                    .isInstanceOf(CryptoException.class);
        }
        for (byte[] sk : List.of(new byte[0], new byte[suite.kem().privateKeyLength() + 1])) {
            assertThatThrownBy(() -> c.hpkeOpen(Secret.of(sk), good, INFO, AAD)).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> c.hpkePublicKey(Secret.of(sk))).isInstanceOf(CryptoException.class);
        }
    }

    /** Small-order u-coordinates: each forces an all-zero shared secret. */
    @Test
    void smallOrderX25519PointsAreRejected() {
        SuiteCrypto c = crypto(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
        List<String> points = List.of(
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        for (String p : points) {
            assertThatThrownBy(() -> c.hpkeSeal(Bytes.fromHex(p), INFO, AAD, MESSAGE)).as(p)
                    .isInstanceOf(CryptoException.class).hasMessageContaining("all zero");
        }
    }

    @Test
    void smallOrderX448PointsAreRejected() {
        SuiteCrypto c = crypto(CipherSuite.MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448);
        byte[] one = new byte[56];
        one[0] = 1;
        for (byte[] p : List.of(new byte[56], one)) {
            assertThatThrownBy(() -> c.hpkeSeal(Bytes.of(p), INFO, AAD, MESSAGE))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("all zero");
        }
    }

    /** Random garbage as a peer key never escapes as anything but CryptoException. */
    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void randomPublicKeysOnlyEverThrowCryptoException(CipherSuite suite) throws CryptoException {
        SuiteCrypto c = crypto(suite);
        Random random = new Random(suite.id());
        int npk = suite.kem().publicKeyLength();
        int sigPk = c.generateSignatureKeyPair().publicKey().length();
        for (int i = 0; i < 40; i++) {
            byte[] pk = new byte[i % 4 == 0 ? random.nextInt(2 * npk) : npk];
            random.nextBytes(pk);
            if (pk.length > 0 && i % 2 == 1) {
                pk[0] = 0x04;
            }
            try {
                c.hpkeSeal(Bytes.of(pk), INFO, AAD, MESSAGE);
            } catch (CryptoException expected) {
                // fine
            }
            byte[] spk = new byte[i % 4 == 0 ? random.nextInt(2 * sigPk) : sigPk];
            random.nextBytes(spk);
            try {
                assertThat(c.verify(Bytes.of(spk), MESSAGE, new byte[64])).isFalse();
            } catch (CryptoException expected) {
                // fine
            }
        }
    }

    /** One shared SuiteCrypto used from several threads at once. */
    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519",
        "MLS_128_DHKEMP256_AES128GCM_SHA256_P256"})
    void concurrentUseIsSafe(CipherSuite suite) throws Exception {
        SuiteCrypto c = crypto(suite);
        HpkeKeyPair hkp = c.generateHpkeKeyPair();
        SignatureKeyPair skp = c.generateSignatureKeyPair();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                byte[] msg = ("message " + t).getBytes(StandardCharsets.US_ASCII);
                Callable<Boolean> task = () -> {
                    for (int i = 0; i < 20; i++) {
                        byte[] sig = c.sign(skp.privateKey(), msg);
                        HpkeCiphertext ct = c.hpkeSeal(hkp.publicKey(), INFO, AAD, msg);
                        if (!c.verify(skp.publicKey(), msg, sig)
                                || !Arrays.equals(msg, c.hpkeOpen(hkp.privateKey(), ct, INFO, AAD))) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(pool.submit(task));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Wrong lengths; for NIST keys also compressed, infinity, off-curve and out-of-field encodings. */
    private static List<byte[]> hostilePublicKeys(int length, boolean nist) {
        List<byte[]> keys = new ArrayList<>();
        keys.add(new byte[0]);
        keys.add(new byte[length - 1]);
        keys.add(new byte[length + 1]);
        if (nist) {
            int coord = (length - 1) / 2;
            byte[] zeros = new byte[length];
            zeros[0] = 0x04;
            keys.add(zeros); // (0, 0) is on none of the curves
            byte[] offCurve = zeros.clone();
            offCurve[length - 1] = 1; // (0, 1)
            keys.add(offCurve);
            byte[] outOfField = new byte[length];
            Arrays.fill(outOfField, (byte) 0xff);
            outOfField[0] = 0x04;
            keys.add(outOfField); // coordinates >= p
            byte[] compressed = new byte[coord + 1];
            compressed[0] = 0x02;
            compressed[coord] = 3;
            keys.add(compressed);
            keys.add(new byte[] {0x00}); // infinity
            byte[] wrongPrefix = zeros.clone();
            wrongPrefix[0] = 0x06;
            keys.add(wrongPrefix);
        }
        return keys;
    }
}
