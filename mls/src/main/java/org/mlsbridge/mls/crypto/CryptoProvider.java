package org.mlsbridge.mls.crypto;

/** Source of {@link SuiteCrypto} implementations, so that tests or HSM-backed deployments can swap them. */
public interface CryptoProvider {
    SuiteCrypto suite(CipherSuite suite);

    /** The built-in provider: JDK for hash/HMAC/AEAD (CPU-accelerated), BouncyCastle for curves. */
    static CryptoProvider defaultProvider() {
        return DefaultCryptoProvider.INSTANCE;
    }
}
