package org.mlsbridge.mls.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.tree.LeafIndex;

class SecretTreeTest {
    private static final SuiteCrypto CRYPTO =
            CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    private static final LeafIndex ALICE = LeafIndex.of(1);
    private static final ContentKind APP = ContentKind.APPLICATION;

    private Secret encryptionSecret;
    /** Keys of ALICE's application ratchet as the sender produced them, by generation. */
    private List<RatchetKey> sent;

    @BeforeEach
    void setUp() {
        byte[] s = new byte[32];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (i * 7 + 3);
        }
        encryptionSecret = Secret.wrap(s);
        SecretTree sender = new SecretTree(CRYPTO, encryptionSecret, 4);
        sent = new ArrayList<>();
        for (int g = 0; g < 60; g++) {
            sent.add(sender.nextKey(ALICE, APP));
        }
    }

    private SecretTree receiver(int window, int maxSkip) {
        return new SecretTree(CRYPTO, encryptionSecret, 4, new SecretTreeConfig(window, maxSkip));
    }

    private void assertSameAsSent(RatchetKey k) {
        RatchetKey expected = sent.get((int) k.generation());
        assertThat(k.key().copy()).isEqualTo(expected.key().copy());
        assertThat(k.nonce().copy()).isEqualTo(expected.nonce().copy());
    }

    @Test
    void inOrderKeysMatchTheSender() throws Exception {
        SecretTree r = receiver(4, 10);
        for (int g = 0; g < 20; g++) {
            RatchetKey k = r.keyFor(ALICE, APP, g);
            assertThat(k.generation()).isEqualTo(g);
            assertSameAsSent(k);
        }
        assertThat(r.retainedKeys()).isZero();
    }

    @Test
    void outOfOrderWithinTheWindowWorks() throws Exception {
        SecretTree r = receiver(5, 100);
        assertSameAsSent(r.keyFor(ALICE, APP, 5));
        assertThat(r.retainedKeys()).isEqualTo(5);
        assertSameAsSent(r.keyFor(ALICE, APP, 2));
        assertSameAsSent(r.keyFor(ALICE, APP, 0));
        assertSameAsSent(r.keyFor(ALICE, APP, 4));
        assertSameAsSent(r.keyFor(ALICE, APP, 6));
        assertSameAsSent(r.keyFor(ALICE, APP, 1));
        assertSameAsSent(r.keyFor(ALICE, APP, 3));
        assertThat(r.retainedKeys()).isZero();
    }

    @Test
    void replayOfAUsedGenerationIsRejected() throws Exception {
        SecretTree r = receiver(5, 100);
        r.keyFor(ALICE, APP, 0);
        r.keyFor(ALICE, APP, 3);
        r.keyFor(ALICE, APP, 1);
        for (int g : new int[] {0, 1, 3}) {
            assertThatThrownBy(() -> r.keyFor(ALICE, APP, g))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("already used")
                .extracting(e -> ((ValidationException) e).reason()).isEqualTo(FailureReason.REPLAY);
        }
        assertSameAsSent(r.keyFor(ALICE, APP, 2));
        assertSameAsSent(r.keyFor(ALICE, APP, 4));
    }

    @Test
    void generationOlderThanTheWindowIsRejected() throws Exception {
        SecretTree r = receiver(3, 100);
        r.keyFor(ALICE, APP, 10);
        assertThat(r.retainedKeys()).isEqualTo(3);
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 6))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("too old")
                .extracting(e -> ((ValidationException) e).reason()).isEqualTo(FailureReason.TOO_OLD);
        assertSameAsSent(r.keyFor(ALICE, APP, 7));
        // Moving on pushes 8 and 9 out of the window.
        r.keyFor(ALICE, APP, 13);
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 8)).isInstanceOf(ValidationException.class);
        assertSameAsSent(r.keyFor(ALICE, APP, 11));
    }

    @Test
    void skipBeyondTheCapIsRejectedAndTheNextGoodGenerationWorks() throws Exception {
        SecretTree r = receiver(5, 10);
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 11))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("skip 11")
                .extracting(e -> ((ValidationException) e).reason()).isEqualTo(FailureReason.TOO_FAR_AHEAD);
        assertSameAsSent(r.keyFor(ALICE, APP, 0));
        assertSameAsSent(r.keyFor(ALICE, APP, 11));
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 23))
                .isInstanceOf(ValidationException.class);
        assertSameAsSent(r.keyFor(ALICE, APP, 22));
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 22)).isInstanceOf(ValidationException.class);
        assertSameAsSent(r.keyFor(ALICE, APP, 23));
    }

    @Test
    void generationOutsideUint32IsRejected() {
        SecretTree r = receiver(5, 10);
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, -1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 1L << 32)).isInstanceOf(ValidationException.class);
    }

    @Test
    void senderOutsideTheTreeIsRejected() {
        SecretTree r = receiver(5, 10);
        assertThatThrownBy(() -> r.keyFor(LeafIndex.of(4), APP, 0))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("outside");
    }

    @Test
    void discardedStageLeavesTheRatchetUnchanged() throws Exception {
        SecretTree r = receiver(5, 100);
        try (PendingKey p = r.stageKey(ALICE, APP, 50)) {
            assertSameAsSent(p.key());
            // no commit: the message "failed"
        }
        assertThat(r.retainedKeys()).isZero();
        assertThat(r.nextGeneration(ALICE, APP)).isZero();
        assertSameAsSent(r.keyFor(ALICE, APP, 0));
        try (PendingKey p = r.stageKey(ALICE, APP, 1)) {
            p.discard();
        }
        assertSameAsSent(r.keyFor(ALICE, APP, 1));
    }

    @Test
    void stagesCommittedOutOfOrderStillWork() throws Exception {
        SecretTree r = receiver(5, 100);
        PendingKey three = r.stageKey(ALICE, APP, 3);
        PendingKey five = r.stageKey(ALICE, APP, 5);
        PendingKey fiveAgain = r.stageKey(ALICE, APP, 5);
        five.commit();
        three.commit();
        assertThatThrownBy(fiveAgain::commit).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> r.keyFor(ALICE, APP, 3)).isInstanceOf(ValidationException.class);
        assertSameAsSent(r.keyFor(ALICE, APP, 4));
        assertSameAsSent(r.keyFor(ALICE, APP, 6));
    }

    @Test
    void committedKeyIsWiped() throws Exception {
        SecretTree r = receiver(5, 100);
        PendingKey p = r.stageKey(ALICE, APP, 0);
        RatchetKey k = p.key();
        p.commit();
        assertThat(k.key().isDestroyed()).isTrue();
        assertThatThrownBy(p::key).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void handshakeAndApplicationRatchetsAreIndependent() throws Exception {
        SecretTree r = receiver(5, 100);
        RatchetKey hs = r.keyFor(ALICE, ContentKind.HANDSHAKE, 0);
        assertThat(hs.key().copy()).isNotEqualTo(sent.get(0).key().copy());
        assertSameAsSent(r.keyFor(ALICE, APP, 0));
        assertThat(r.nextGeneration(ALICE, ContentKind.HANDSHAKE)).isEqualTo(1);
    }

    @Test
    void onlyThePathToAnActiveLeafIsDerived() throws Exception {
        int leaves = 1 << 16; // room for 50,000 members
        SecretTree r = new SecretTree(CRYPTO, encryptionSecret, leaves);
        r.keyFor(LeafIndex.of(12_345), APP, 0);
        // every split keeps the sibling of the path: one secret per level
        assertThat(r.storedNodeSecrets()).isEqualTo(16);
        r.keyFor(LeafIndex.of(12_344), APP, 0);
        assertThat(r.storedNodeSecrets()).isEqualTo(15);
        r.keyFor(LeafIndex.of(49_999), APP, 0);
        assertThat(r.storedNodeSecrets()).isLessThanOrEqualTo(2 * 16);
    }

    @Test
    void everyLeafOfASmallTreeGetsDistinctKeys() throws Exception {
        SecretTree r = new SecretTree(CRYPTO, encryptionSecret, 8);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(java.util.HexFormat.of().formatHex(r.keyFor(LeafIndex.of(i), APP, 0).key().copy()));
        }
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(r.storedNodeSecrets()).isZero();
    }

    @Test
    void destroyedTreeRefusesUse() {
        SecretTree r = receiver(5, 100);
        r.destroy();
        assertThatThrownBy(() -> r.nextKey(ALICE, APP)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void singleLeafTree() throws Exception {
        SecretTree a = new SecretTree(CRYPTO, encryptionSecret, 1);
        SecretTree b = new SecretTree(CRYPTO, encryptionSecret, 1);
        RatchetKey sentKey = a.nextKey(LeafIndex.of(0), APP);
        assertThat(b.keyFor(LeafIndex.of(0), APP, 0).key().copy()).isEqualTo(sentKey.key().copy());
    }
    @Test
    void senderDataKeysUseAtMostNhBytesOfCiphertext() {
        byte[] ciphertext = new byte[40];
        for (int i = 0; i < ciphertext.length; i++) {
            ciphertext[i] = (byte) i;
        }
        KeyAndNonce full = SenderDataKeys.derive(CRYPTO, encryptionSecret, ciphertext);
        KeyAndNonce sample = SenderDataKeys.derive(CRYPTO, encryptionSecret, java.util.Arrays.copyOf(ciphertext, 32));
        assertThat(full.key()).isEqualTo(sample.key());
        assertThat(full.nonce()).isEqualTo(sample.nonce());
        KeyAndNonce shorter = SenderDataKeys.derive(CRYPTO, encryptionSecret, java.util.Arrays.copyOf(ciphertext, 5));
        assertThat(shorter.key()).isNotEqualTo(full.key());
        assertThat(full.key().length()).isEqualTo(CRYPTO.aeadKeyLength());
        assertThat(full.nonce().length()).isEqualTo(CRYPTO.aeadNonceLength());
    }

    @Test
    void reuseGuardIsXoredIntoTheFirstFourNonceBytes() {
        RatchetKey k = sent.get(0);
        byte[] plain = k.nonce().copy();
        byte[] guarded = k.guardedNonce(org.mlsbridge.mls.codec.Bytes.fromHex("01020304"));
        for (int i = 0; i < plain.length; i++) {
            int mask = i < 4 ? i + 1 : 0;
            assertThat(guarded[i]).isEqualTo((byte) (plain[i] ^ mask));
        }
        assertThatThrownBy(() -> k.guardedNonce(org.mlsbridge.mls.codec.Bytes.fromHex("0102")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
