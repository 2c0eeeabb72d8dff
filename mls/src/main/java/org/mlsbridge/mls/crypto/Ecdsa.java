package org.mlsbridge.mls.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * ECDSA with DER signatures (RFC 9420 §5.1.2), deterministic nonces (RFC 6979) and low S on
 * the signatures it makes (either S verifies). The message
 * hash runs on the JDK (SHA-NI); RFC 6979's HMAC needs a BC digest, made per call.
 */
record Ecdsa(NistCurve curve, KdfId hash) implements SignatureAlgorithm {
    @Override
    public byte[] generatePrivateKey(SecureRandom random) {
        return curve.encodeScalar(curve.randomScalar(random));
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
        return curve.encodePoint(curve.multiplyBase(curve.decodeScalar(privateKey)));
    }

    @Override
    public byte[] sign(byte[] privateKey, byte[] message) throws CryptoException {
        BigInteger d = curve.decodeScalar(privateKey);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(nonceDigest()));
        signer.init(true, new ECPrivateKeyParameters(d, curve.domain()));
        BigInteger[] rs = signer.generateSignature(digest(message));
        // Low S: (r, n - s) verifies as well as (r, s); some verifiers accept only s <= n/2, so
        // we always send that one. verify() accepts either, as other stacks do not normalise.
        BigInteger n = curve.order();
        BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
        try {
            return StandardDSAEncoding.INSTANCE.encode(n, rs[0], s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
        }
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) throws CryptoException {
        ECPublicKeyParameters key = new ECPublicKeyParameters(curve.decodePoint(publicKey), curve.domain());
        BigInteger[] rs;
        try {
            // Strict DER: BC re-encodes and compares, and range-checks r and s.
            rs = StandardDSAEncoding.INSTANCE.decode(curve.order(), signature);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(digest(message), rs[0], rs[1]);
    }

    private byte[] digest(byte[] message) {
        return new JdkSymmetric(hash).hash(message);
    }

    private Digest nonceDigest() {
        return switch (hash) {
            case HKDF_SHA256 -> new SHA256Digest();
            case HKDF_SHA384 -> new SHA384Digest();
            case HKDF_SHA512 -> new SHA512Digest();
        };
    }
}
