package org.mlsbridge.mls.crypto;

import java.util.EnumMap;
import java.util.Map;

/** Holds one immutable, stateless {@link DefaultSuiteCrypto} per cipher suite. */
final class DefaultCryptoProvider implements CryptoProvider {
    static final DefaultCryptoProvider INSTANCE = new DefaultCryptoProvider();

    private final Map<CipherSuite, SuiteCrypto> suites;

    private DefaultCryptoProvider() {
        Map<CipherSuite, SuiteCrypto> m = new EnumMap<>(CipherSuite.class);
        for (CipherSuite s : CipherSuite.values()) {
            m.put(s, new DefaultSuiteCrypto(s));
        }
        suites = m;
    }

    @Override
    public SuiteCrypto suite(CipherSuite suite) {
        return suites.get(suite);
    }
}
