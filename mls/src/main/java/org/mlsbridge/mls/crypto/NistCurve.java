package org.mlsbridge.mls.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * The NIST prime curves of the MLS suites with their key encodings: uncompressed SEC1 points and
 * fixed-length big-endian scalars (RFC 9180 §7.1.1). BouncyCastle's custom curves use dedicated
 * field arithmetic, several times faster than the generic Fp implementation. The domain data is
 * immutable; BC's lazily built base-point tables are synchronized internally.
 */
enum NistCurve {
    P256("secp256r1"),
    P384("secp384r1"),
    P521("secp521r1");

    private final String name;
    private final ECDomainParameters domain;
    private final int scalarLength;

    NistCurve(String name) {
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        this.name = name;
        this.domain = new ECDomainParameters(x9);
        this.scalarLength = (x9.getCurve().getFieldSize() + 7) / 8;
    }

    ECDomainParameters domain() {
        return domain;
    }

    BigInteger order() {
        return domain.getN();
    }

    /** Bytes of a serialized scalar or coordinate (32, 48, 66). */
    int scalarLength() {
        return scalarLength;
    }

    /** Bytes of an uncompressed point. */
    int pointLength() {
        return 1 + 2 * scalarLength;
    }

    /**
     * Parses an uncompressed point and checks it lies on the curve; the cofactor is 1, so that also
     * puts it in the prime-order group. Compressed and infinity encodings are refused.
     */
    ECPoint decodePoint(byte[] encoded) throws CryptoException {
        if (encoded.length != pointLength() || encoded[0] != 0x04) {
            throw new CryptoException(name + " public key must be a " + pointLength()
                    + "-byte uncompressed point, got " + encoded.length + " bytes");
        }
        try {
            return domain.validatePublicPoint(domain.getCurve().decodePoint(encoded));
        } catch (RuntimeException e) {
            // BC signals coordinates out of range or off the curve with unchecked exceptions;
            // hostile input must surface as CryptoException only.
            throw new CryptoException(name + " public key is not a valid curve point", e);
        }
    }

    byte[] encodePoint(ECPoint p) {
        return p.normalize().getEncoded(false);
    }

    /** Parses a private scalar; shorter encodings than {@link #scalarLength()} are accepted as big-endian. */
    BigInteger decodeScalar(byte[] encoded) throws CryptoException {
        if (encoded.length == 0 || encoded.length > scalarLength) {
            throw new CryptoException(name + " private key must be at most " + scalarLength + " bytes, got "
                    + encoded.length);
        }
        BigInteger d = new BigInteger(1, encoded);
        if (d.signum() == 0 || d.compareTo(order()) >= 0) {
            throw new CryptoException(name + " private key is out of range");
        }
        return d;
    }

    byte[] encodeScalar(BigInteger d) {
        return BigIntegers.asUnsignedByteArray(scalarLength, d);
    }

    BigInteger randomScalar(SecureRandom random) {
        return BigIntegers.createRandomInRange(BigInteger.ONE, order().subtract(BigInteger.ONE), random);
    }

    /** d·G through the fixed-base comb, the fastest BC multiplier for the generator. */
    ECPoint multiplyBase(BigInteger d) {
        return new FixedPointCombMultiplier().multiply(domain.getG(), d).normalize();
    }
}
