package org.mlsbridge.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;

/**
 * The ledger's own proof: it finds a key used twice (two group objects loaded from one stored
 * state, as a member restarted from an older state would be) and a generation that never went
 * out, and it passes an honest sender.
 */
class WireLedgerTest {
    private final InMemoryMlsStorage storage = new InMemoryMlsStorage();
    private MlsGroup group;

    @BeforeEach
    void createGroup() throws Exception {
        SignatureIdentity alice = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(),
                CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, Bytes.wrap("xmpp:a@x".getBytes(
                        StandardCharsets.UTF_8)));
        group = MlsGroup.create(alice, List.of(), GroupConfig.DEFAULT, PskLookup.fromStorage(storage));
        group.persistIn(storage);
    }

    private MlsGroup loadAgain() {
        return MlsGroup.load(storage, group.groupId(), GroupConfig.DEFAULT, PskLookup.fromStorage(storage))
                .orElseThrow();
    }

    private static Bytes encrypt(MlsGroup g, String text) throws Exception {
        return g.encrypt(Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)), Bytes.EMPTY).encode();
    }

    @Test
    void anHonestSenderPasses() throws Exception {
        WireLedger ledger = new WireLedger();
        for (int i = 0; i < 5; i++) {
            ledger.delivered("id" + i, encrypt(group, "m" + i));
        }
        ledger.learn(group.state());
        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.keysUsed()).isEqualTo(5);
    }

    @Test
    void aGenerationUsedForTwoMessagesIsFound() throws Exception {
        MlsGroup first = loadAgain();
        MlsGroup restarted = loadAgain(); // the same stored state: the same next generation
        WireLedger ledger = new WireLedger();
        ledger.delivered("id1", encrypt(first, "before the crash"));
        ledger.delivered("id2", encrypt(restarted, "after the crash"));
        ledger.learn(group.state());
        assertThat(ledger.problems()).anyMatch(p -> p.startsWith("key reused: KeyUse[epoch=0, leaf=0"));
    }

    @Test
    void theSameBytesTwiceAreAResendNotAReuse() throws Exception {
        WireLedger ledger = new WireLedger();
        Bytes m = encrypt(group, "once");
        ledger.delivered("id1", m);
        ledger.delivered("id2", m);
        ledger.delivered("id1", m); // the same delivery again
        ledger.learn(group.state());
        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.resentCopies()).isEqualTo(1);
    }

    @Test
    void aGenerationThatNeverWentOutIsALostMessage() throws Exception {
        WireLedger ledger = new WireLedger();
        ledger.delivered("id0", encrypt(group, "m0"));
        encrypt(group, "m1, stored but never sent");
        ledger.delivered("id2", encrypt(group, "m2"));
        ledger.learn(group.state());
        assertThat(ledger.problems()).anyMatch(p -> p.contains("gap") && p.contains("[0, 2]"));
    }

    @Test
    void aMessageOfAnEpochWhoseSecretWasNeverHeldFailsTheCheck() throws Exception {
        WireLedger ledger = new WireLedger();
        ledger.delivered("id0", encrypt(group, "m0"));
        assertThat(ledger.problems()).anyMatch(p -> p.contains("key reuse not checked"));
    }
}
