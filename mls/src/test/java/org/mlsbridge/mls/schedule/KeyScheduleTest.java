package org.mlsbridge.mls.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.secrets.KeyAndNonce;

class KeyScheduleTest {
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    private static final SuiteCrypto CRYPTO = CryptoProvider.defaultProvider().suite(SUITE);
    private final KeySchedule schedule = new KeySchedule(CRYPTO);

    private static Secret filled(int b) {
        byte[] v = new byte[32];
        java.util.Arrays.fill(v, (byte) b);
        return Secret.wrap(v);
    }

    private static GroupContext context(long epoch) {
        return new GroupContext(GroupContext.MLS10, SUITE, Bytes.fromHex("0102"), epoch, Bytes.fromHex("aa"),
                Bytes.fromHex("bb"), List.of());
    }

    @Test
    void committerAndJoinerAgree() {
        EpochTransition t = schedule.nextEpoch(filled(1), filled(2), schedule.zero(), context(1));
        JoinerKeys j = schedule.fromJoinerSecret(t.joinerSecret(), schedule.zero());
        assertThat(j.welcomeSecret()).isEqualTo(t.welcomeSecret());
        KeyAndNonce a = t.welcomeKey();
        KeyAndNonce b = j.welcomeKey();
        assertThat(a.key()).isEqualTo(b.key());
        assertThat(a.nonce().length()).isEqualTo(CRYPTO.aeadNonceLength());
        EpochSecrets joined = j.epochSecrets(context(1));
        assertThat(joined.epochAuthenticator()).isEqualTo(t.epochSecrets().epochAuthenticator());
        assertThat(joined.initSecret()).isEqualTo(t.epochSecrets().initSecret());
    }

    @Test
    void theGroupContextIsBoundIn() {
        EpochSecrets one = schedule.nextEpoch(filled(1), filled(2), schedule.zero(), context(1)).epochSecrets();
        EpochSecrets two = schedule.nextEpoch(filled(1), filled(2), schedule.zero(), context(2)).epochSecrets();
        assertThat(one.encryptionSecret()).isNotEqualTo(two.encryptionSecret());
    }

    @Test
    void joinerKeysYieldEpochSecretsOnlyOnce() {
        JoinerKeys j = schedule.fromJoinerSecret(filled(3), schedule.zero());
        j.epochSecrets(context(1));
        assertThatThrownBy(() -> j.epochSecrets(context(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inputsAreLeftToTheCaller() {
        Secret init = filled(1);
        Secret commit = filled(2);
        Secret psk = schedule.zero();
        schedule.nextEpoch(init, commit, psk, context(1)).destroyJoinerSecrets();
        assertThat(init.isDestroyed() || commit.isDestroyed() || psk.isDestroyed()).isFalse();
    }

    @Test
    void destroyWipesEveryEpochSecret() {
        EpochSecrets e = schedule.fromEpochSecret(filled(9));
        e.destroy();
        for (Secret s : List.of(e.senderDataSecret(), e.encryptionSecret(), e.exporterSecret(), e.externalSecret(),
                e.confirmationKey(), e.membershipKey(), e.resumptionPsk(), e.epochAuthenticator(), e.initSecret())) {
            assertThat(s.isDestroyed()).isTrue();
        }
        assertThat(e.toString()).doesNotContain("0909");
    }

    @Test
    void exporterSeparatesLabelsAndContexts() {
        EpochSecrets e = schedule.fromEpochSecret(filled(9));
        Secret a = e.export("app", new byte[] {1}, 32);
        assertThat(e.export("app".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[] {1}, 32))
                .isEqualTo(a);
        assertThat(e.export("app2", new byte[] {1}, 32)).isNotEqualTo(a);
        assertThat(e.export("app", new byte[] {2}, 32)).isNotEqualTo(a);
        assertThat(e.export("app", new byte[] {1}, 16).length()).isEqualTo(16);
    }

    @Test
    void pskSecretOfNothingIsZeroAndOrderMatters() throws ValidationException {
        assertThat(PskSecret.compute(CRYPTO, List.of())).isEqualTo(Secret.zero(32));
        PskInput a = new PskInput(Bytes.fromHex("0101aa0100"), filled(5));
        PskInput b = new PskInput(Bytes.fromHex("0101bb0100"), filled(6));
        Secret ab = PskSecret.compute(CRYPTO, List.of(a, b));
        assertThat(PskSecret.compute(CRYPTO, List.of(b, a))).isNotEqualTo(ab);
        assertThat(PskSecret.compute(CRYPTO, List.of(a, b))).isEqualTo(ab);
        assertThat(a.psk().isDestroyed()).isFalse();
    }

    @Test
    void tooManyPsksAreRejected() {
        PskInput a = new PskInput(Bytes.fromHex("0101aa0100"), filled(5));
        List<PskInput> many = Collections.nCopies(0x10000, a);
        assertThatThrownBy(() -> PskSecret.compute(CRYPTO, many))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("§8.4");
    }
}
