package org.mlsbridge.mls.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNodeSource;
import org.mlsbridge.mls.message.Lifetime;
import org.mlsbridge.mls.tree.TreeValidator;

class KeyPackageBuilderTest {
    private static final CryptoProvider PROVIDER = CryptoProvider.defaultProvider();
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    private static final Instant NOW = Instant.parse("2026-11-24T06:00:00Z");

    static SignatureIdentity alice(CipherSuite suite) {
        return SignatureIdentity.generateBasic(PROVIDER, suite, Bytes.of("alice".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void signaturesVerifyAndKeysMatchForEverySuite(CipherSuite suite) throws Exception {
        SignatureIdentity id = alice(suite);
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(id).build();
        KeyPackage kp = bundle.keyPackage();
        SuiteCrypto crypto = PROVIDER.suite(suite);

        assertThat(kp.cipherSuite()).isEqualTo(suite);
        assertThat(kp.version()).isEqualTo(1);
        assertThat(kp.leafNode().source()).isEqualTo(LeafNodeSource.KEY_PACKAGE);
        assertThat(crypto.verifyWithLabel(id.signaturePublicKey(), KeyPackage.SIGNATURE_LABEL, kp.toBeSigned(),
                kp.signature().toByteArray())).isTrue();
        assertThat(crypto.verifyWithLabel(id.signaturePublicKey(), TreeValidator.LEAF_SIGNATURE_LABEL,
                kp.leafNode().toBeSigned(null, null), kp.leafNode().signature().toByteArray())).isTrue();
        assertThat(crypto.hpkePublicKey(bundle.initPrivateKey())).isEqualTo(kp.initKey());
        assertThat(crypto.hpkePublicKey(bundle.encryptionPrivateKey())).isEqualTo(kp.leafNode().encryptionKey());
        assertThat(kp.initKey()).isNotEqualTo(kp.leafNode().encryptionKey());
        // The wire form decodes back to the same KeyPackage.
        assertThat(TlsReader.decode(kp.toByteArray(), KeyPackage::readFrom)).isEqualTo(kp);
    }

    @Test
    void defaultsListAllSuitesLastResortAndCredentialType() throws Exception {
        KeyPackage kp = KeyPackageBuilder.forIdentity(alice(SUITE)).build().keyPackage();
        Capabilities caps = kp.leafNode().capabilities();
        assertThat(caps.versions()).containsExactly(1);
        assertThat(caps.cipherSuites()).hasSize(7);
        assertThat(caps.extensions()).containsExactly(Extension.LAST_RESORT);
        assertThat(caps.proposals()).isEmpty();
        assertThat(caps.credentials()).containsExactly(1);
        assertThat(kp.extensions()).isEmpty();
    }

    @Test
    void lifetimeUsesTheClock() throws Exception {
        KeyPackage kp = KeyPackageBuilder.forIdentity(alice(SUITE)).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .validFor(Duration.ofDays(7)).build().keyPackage();
        Lifetime lt = kp.leafNode().lifetime().orElseThrow();
        assertThat(lt.notBefore()).isEqualTo(NOW.getEpochSecond() - 3600);
        assertThat(lt.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(7)).getEpochSecond());

        KeyPackage fixed = KeyPackageBuilder.forIdentity(alice(SUITE)).lifetime(new Lifetime(5, 10)).build()
                .keyPackage();
        assertThat(fixed.leafNode().lifetime()).contains(new Lifetime(5, 10));
    }

    @Test
    void lastResortAddsTheExtension() throws Exception {
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(alice(SUITE)).lastResort(true).build();
        assertThat(bundle.isLastResort()).isTrue();
        assertThat(bundle.keyPackage().extensions()).containsExactly(new Extension(Extension.LAST_RESORT, Bytes.EMPTY));
        assertThat(KeyPackageBuilder.forIdentity(alice(SUITE)).build().isLastResort()).isFalse();
    }

    @Test
    void extensionsAreCarriedAndListedInCapabilities() throws Exception {
        Extension leafExt = new Extension(0xff01, Bytes.fromHex("01"));
        Extension kpExt = new Extension(0xff02, Bytes.fromHex("02"));
        Extension appId = new Extension(Extension.APPLICATION_ID, Bytes.fromHex("03"));
        KeyPackage kp = KeyPackageBuilder.forIdentity(alice(SUITE)).leafExtensions(List.of(leafExt, appId))
                .keyPackageExtensions(List.of(kpExt)).build().keyPackage();
        assertThat(kp.leafNode().extensions()).containsExactly(leafExt, appId);
        assertThat(kp.extensions()).containsExactly(kpExt);
        assertThat(kp.leafNode().capabilities().extensions())
                .containsExactlyInAnyOrder(0xff01, 0xff02, Extension.LAST_RESORT);
    }

    @Test
    void explicitCapabilitiesMustCoverWhatIsUsed() {
        Capabilities noSuite = new Capabilities(List.of(1), List.of(2), List.of(), List.of(), List.of(1));
        assertThatThrownBy(() -> KeyPackageBuilder.forIdentity(alice(SUITE)).capabilities(noSuite).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cipher suite");
        Capabilities noExt = new Capabilities(List.of(1), List.of(1), List.of(), List.of(), List.of(1));
        assertThatThrownBy(() -> KeyPackageBuilder.forIdentity(alice(SUITE)).capabilities(noExt).lastResort(true)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10");
        assertThatThrownBy(() -> KeyPackageBuilder.forIdentity(alice(SUITE))
                .leafExtensions(List.of(new Extension(9, Bytes.EMPTY), new Extension(9, Bytes.EMPTY))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    }

    @Test
    void bundleEncodingRoundTripsAndRejectsGarbage() throws Exception {
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(alice(SUITE)).lastResort(true).build();
        byte[] encoded = bundle.encode();
        KeyPackageBundle back = KeyPackageBundle.decode(encoded);
        assertThat(back.keyPackage()).isEqualTo(bundle.keyPackage());
        assertThat(back.initPrivateKey()).isEqualTo(bundle.initPrivateKey());
        assertThat(back.encryptionPrivateKey()).isEqualTo(bundle.encryptionPrivateKey());
        assertThat(back.isLastResort()).isTrue();
        assertThat(back.ref(PROVIDER)).isEqualTo(bundle.ref(PROVIDER));

        encoded[0] = 2;
        assertThatThrownBy(() -> KeyPackageBundle.decode(encoded)).isInstanceOf(DecodeException.class);
        byte[] truncated = java.util.Arrays.copyOf(bundle.encode(), 40);
        assertThatThrownBy(() -> KeyPackageBundle.decode(truncated)).isInstanceOf(DecodeException.class);
        assertThat(bundle.toString()).contains("redacted").doesNotContain(bundle.initPrivateKey().copy().length > 0
                ? Bytes.of(bundle.initPrivateKey().copy()).hex() : "x");
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void identityEncodingRoundTrips(CipherSuite suite) throws Exception {
        SignatureIdentity id = alice(suite);
        SignatureIdentity back = SignatureIdentity.decode(id.encode());
        assertThat(back.credential()).isEqualTo(id.credential());
        assertThat(back.cipherSuite()).isEqualTo(suite);
        assertThat(back.signaturePublicKey()).isEqualTo(id.signaturePublicKey());
        assertThat(back.signaturePrivateKey()).isEqualTo(id.signaturePrivateKey());
        assertThat(back.isConsistent(PROVIDER)).isTrue();
        String privHex = Bytes.of(id.signaturePrivateKey().copy()).hex();
        assertThat(id.toString()).contains("redacted").doesNotContain(privHex);
    }

    @Test
    void storageFormatIsStable() throws Exception {
        // Golden prefix: format byte 1, then the KeyPackage (version 1, suite 0x0001).
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(alice(SUITE)).build();
        assertThat(Bytes.wrap(bundle.encode()).hex()).startsWith("0100010001");
        // SignatureIdentity: format 1, suite 0x0001, basic credential (0x0001) "alice".
        assertThat(Bytes.wrap(alice(SUITE).encode()).hex()).startsWith("01" + "0001" + "0001" + "05616c696365");
    }
}
