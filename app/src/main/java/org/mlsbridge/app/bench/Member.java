package org.mlsbridge.app.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.group.JoinKeys;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;

/** A simulated member: its signature identity and one KeyPackage with its private keys. */
record Member(SignatureIdentity identity, KeyPackageBundle bundle) {
    JoinKeys joinKeys() {
        return JoinKeys.of(bundle, identity);
    }

    static Member generate(CryptoProvider provider, CipherSuite suite, String name) {
        SignatureIdentity id = SignatureIdentity.generateBasic(provider, suite,
                Bytes.wrap(name.getBytes(StandardCharsets.UTF_8)));
        try {
            return new Member(id, KeyPackageBuilder.forIdentity(id).cryptoProvider(provider).build());
        } catch (CryptoException e) {
            throw new IllegalStateException("cannot build a KeyPackage", e);
        }
    }

    /** {@code count} members named prefix-0, prefix-1, ..., made on every core. */
    static List<Member> generate(CryptoProvider provider, CipherSuite suite, String prefix, int count) {
        return IntStream.range(0, count).parallel().mapToObj(i -> generate(provider, suite, prefix + "-" + i))
                .toList();
    }
}
