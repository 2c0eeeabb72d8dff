package org.mlsbridge.bridge.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.keys.SignatureIdentity;

/** Fixed test keys: the golden database is sealed under {@link #GOLDEN_KEK_BASE64}. */
final class TestKeys {
    /** 32 bytes 0x00..0x1f. Never a real key. */
    static final String GOLDEN_KEK_BASE64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final CryptoProvider PROVIDER = CryptoProvider.defaultProvider();
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

    private TestKeys() {
    }

    static KeyEncryptionKey golden() {
        return KeyEncryptionKey.of(Base64.getDecoder().decode(GOLDEN_KEK_BASE64));
    }

    static KeyEncryptionKey other() {
        byte[] k = new byte[32];
        k[0] = 1;
        return KeyEncryptionKey.of(k);
    }

    static SignatureIdentity identity(String name) {
        return SignatureIdentity.generateBasic(PROVIDER, SUITE, Bytes.of(name.getBytes(StandardCharsets.UTF_8)));
    }
}
