package org.mlsbridge.mls.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;

class InMemoryMlsStorageTest {
    private static final CryptoProvider PROVIDER = CryptoProvider.defaultProvider();
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    private static final Bytes GROUP = Bytes.fromHex("0102");

    private final InMemoryMlsStorage storage = new InMemoryMlsStorage();

    private static SignatureIdentity identity() {
        return SignatureIdentity.generateBasic(PROVIDER, SUITE, Bytes.of("bob".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void groupStateIsCopiedOnSaveAndLoad() {
        byte[] state = {1, 2, 3};
        storage.saveGroupState(GROUP, state);
        state[0] = 9;
        byte[] loaded = storage.loadGroupState(GROUP).orElseThrow();
        assertThat(loaded).containsExactly(1, 2, 3);
        loaded[1] = 9;
        assertThat(storage.loadGroupState(GROUP).orElseThrow()).containsExactly(1, 2, 3);
        assertThat(storage.groupIds()).containsExactly(GROUP);

        storage.saveGroupState(GROUP, new byte[] {4});
        assertThat(storage.loadGroupState(GROUP).orElseThrow()).containsExactly(4);
        assertThat(storage.deleteGroupState(GROUP)).isTrue();
        assertThat(storage.deleteGroupState(GROUP)).isFalse();
        assertThat(storage.loadGroupState(GROUP)).isEmpty();
    }

    @Test
    void consumeDeletesOrdinaryKeyPackages() throws Exception {
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(identity()).build();
        Bytes ref = bundle.ref(PROVIDER);
        storage.saveKeyPackage(ref, bundle);
        assertThat(storage.loadKeyPackage(ref)).isPresent();
        assertThat(storage.keyPackageRefs()).containsExactly(ref);

        KeyPackageBundle taken = storage.consumeKeyPackage(ref).orElseThrow();
        assertThat(taken.keyPackage()).isEqualTo(bundle.keyPackage());
        assertThat(taken.initPrivateKey()).isEqualTo(bundle.initPrivateKey());
        assertThat(storage.consumeKeyPackage(ref)).isEmpty();
        assertThat(storage.loadKeyPackage(ref)).isEmpty();
    }

    @Test
    void consumeKeepsLastResortKeyPackages() throws Exception {
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(identity()).lastResort(true).build();
        Bytes ref = bundle.ref(PROVIDER);
        storage.saveKeyPackage(ref, bundle);
        assertThat(storage.consumeKeyPackage(ref)).isPresent();
        assertThat(storage.consumeKeyPackage(ref)).isPresent();
        assertThat(storage.deleteKeyPackage(ref)).isTrue();
        assertThat(storage.consumeKeyPackage(ref)).isEmpty();
    }

    @Test
    void loadedBundlesAreIndependentCopies() throws Exception {
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(identity()).build();
        Bytes ref = bundle.ref(PROVIDER);
        storage.saveKeyPackage(ref, bundle);
        bundle.destroy(); // the caller wiping its own copy must not affect the stored one
        KeyPackageBundle first = storage.loadKeyPackage(ref).orElseThrow();
        first.destroy();
        KeyPackageBundle second = storage.loadKeyPackage(ref).orElseThrow();
        assertThat(second.initPrivateKey().isDestroyed()).isFalse();
        assertThat(second.initPrivateKey().copy()).isNotEmpty();
    }

    @Test
    void identitiesAreStoredByName() {
        SignatureIdentity id = identity();
        storage.saveSignatureIdentity("me", id);
        id.signaturePrivateKey().destroy();
        SignatureIdentity loaded = storage.loadSignatureIdentity("me").orElseThrow();
        assertThat(loaded.signaturePublicKey()).isEqualTo(id.signaturePublicKey());
        assertThat(loaded.isConsistent(PROVIDER)).isTrue();
        assertThat(storage.loadSignatureIdentity("other")).isEmpty();
        assertThat(storage.deleteSignatureIdentity("me")).isTrue();
        assertThat(storage.loadSignatureIdentity("me")).isEmpty();
    }

    @Test
    void externalPsksAreCopies() {
        Bytes id = Bytes.fromHex("aa");
        Secret psk = Secret.of(new byte[] {7, 7});
        storage.saveExternalPsk(id, psk);
        psk.destroy();
        Secret loaded = storage.loadExternalPsk(id).orElseThrow();
        assertThat(loaded.copy()).containsExactly(7, 7);
        loaded.destroy();
        assertThat(storage.loadExternalPsk(id).orElseThrow().copy()).containsExactly(7, 7);
        assertThat(storage.deleteExternalPsk(id)).isTrue();
        assertThat(storage.loadExternalPsk(id)).isEmpty();
    }

    @Test
    void resumptionPsksByEpochWithPruning() {
        for (long e = 1; e <= 5; e++) {
            storage.saveResumptionPsk(GROUP, e, Secret.of(new byte[] {(byte) e}));
        }
        storage.saveResumptionPsk(GROUP, -1L, Secret.of(new byte[] {99})); // 2^64-1: the largest epoch
        storage.saveResumptionPsk(Bytes.fromHex("03"), 1, Secret.of(new byte[] {42}));

        assertThat(storage.loadResumptionPsk(GROUP, 3).orElseThrow().copy()).containsExactly(3);
        assertThat(storage.deleteResumptionPsksBefore(GROUP, 4)).isEqualTo(3);
        assertThat(storage.loadResumptionPsk(GROUP, 3)).isEmpty();
        assertThat(storage.loadResumptionPsk(GROUP, 4)).isPresent();
        assertThat(storage.loadResumptionPsk(GROUP, -1L)).isPresent();
        assertThat(storage.loadResumptionPsk(Bytes.fromHex("03"), 1)).isPresent();

        assertThat(storage.deleteResumptionPsks(GROUP)).isEqualTo(3);
        assertThat(storage.loadResumptionPsk(GROUP, 5)).isEmpty();
        assertThat(storage.deleteResumptionPsksBefore(GROUP, 10)).isZero();
    }

    @Test
    void concurrentConsumersGetAnOrdinaryKeyPackageOnce() throws Exception {
        KeyPackageBundle once = KeyPackageBuilder.forIdentity(identity()).build();
        Bytes ref = once.ref(PROVIDER);
        storage.saveKeyPackage(ref, once);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> storage.consumeKeyPackage(ref).isPresent()));
            }
            int got = 0;
            for (Future<Boolean> f : results) {
                got += f.get() ? 1 : 0;
            }
            assertThat(got).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void atomicallyCommitsOrRollsBackEverything() throws Exception {
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(identity()).build();
        Bytes ref = bundle.ref(PROVIDER);
        storage.saveKeyPackage(ref, bundle);
        storage.saveGroupState(GROUP, new byte[] {1});
        storage.saveResumptionPsk(GROUP, 1, Secret.of(new byte[] {1}));

        assertThatThrownBy(() -> storage.atomically(() -> {
            storage.consumeKeyPackage(ref);
            storage.saveGroupState(GROUP, new byte[] {2});
            storage.deleteResumptionPsks(GROUP);
            storage.saveExternalPsk(Bytes.fromHex("aa"), Secret.of(new byte[] {3}));
            throw new java.io.IOException("boom");
        })).isInstanceOf(java.io.IOException.class).hasMessage("boom");
        assertThat(storage.loadKeyPackage(ref)).isPresent();
        assertThat(storage.loadGroupState(GROUP).orElseThrow()).containsExactly(1);
        assertThat(storage.loadResumptionPsk(GROUP, 1).orElseThrow().copy()).containsExactly(1);
        assertThat(storage.loadExternalPsk(Bytes.fromHex("aa"))).isEmpty();

        String result = storage.atomically(() -> {
            storage.consumeKeyPackage(ref);
            storage.saveGroupState(GROUP, new byte[] {2});
            return "joined";
        });
        assertThat(result).isEqualTo("joined");
        assertThat(storage.loadKeyPackage(ref)).isEmpty();
        assertThat(storage.loadGroupState(GROUP).orElseThrow()).containsExactly(2);
    }

    @Test
    void toStringShowsCountsOnly() {
        storage.saveExternalPsk(Bytes.fromHex("aa"), Secret.of(new byte[] {1}));
        assertThat(storage.toString()).contains("1 external PSKs");
    }
}
