package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlsbridge.mls.group.StoredClients.client;
import static org.mlsbridge.mls.group.StoredClients.restarted;
import static org.mlsbridge.mls.group.StoredClients.utf8;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.StorageException;

/**
 * Sending and reading application messages save only the group's ratchets when the storage keeps
 * them apart; a restart loads state and ratchets together and still never reuses a generation or
 * accepts a message twice; anything else saves the whole state and drops the ratchets; and
 * ratchets that do not belong to the stored state are refused.
 */
class GroupRatchetsTest {
    private final InMemoryMlsStorage aliceStorage = new InMemoryMlsStorage();
    private final InMemoryMlsStorage bobStorage = new InMemoryMlsStorage();
    private final MlsClient alice = client("alice", aliceStorage);
    private final MlsClient bob = client("bob", bobStorage);

    private MlsGroup[] pair() throws MlsException {
        return StoredClients.pair(alice, bob);
    }

    @Test
    void applicationMessagesSaveOnlyTheRatchetsAndARestartContinuesFromThem() throws MlsException {
        MlsGroup[] g = pair();
        Bytes id = g[0].groupId();
        byte[] aliceState = aliceStorage.loadGroupState(id).orElseThrow();
        byte[] bobState = bobStorage.loadGroupState(id).orElseThrow();
        assertThat(aliceStorage.loadGroupRatchets(id)).isEmpty();

        MlsMessage one = g[0].encrypt(utf8("one").toByteArray());
        MlsMessage two = g[0].encrypt(utf8("two").toByteArray());
        assertThat(((ApplicationMessage) g[1].process(one)).data()).isEqualTo(utf8("one"));

        assertThat(aliceStorage.loadGroupState(id).orElseThrow()).isEqualTo(aliceState);
        assertThat(bobStorage.loadGroupState(id).orElseThrow()).isEqualTo(bobState);
        assertThat(aliceStorage.loadGroupRatchets(id)).isPresent();
        assertThat(bobStorage.loadGroupRatchets(id)).isPresent();

        MlsGroup bobLoaded = restarted(bob).loadGroup(id).orElseThrow();
        assertThatThrownBy(() -> bobLoaded.process(one)).isInstanceOf(MlsException.class);
        assertThat(((ApplicationMessage) bobLoaded.process(two)).data()).isEqualTo(utf8("two"));
        MlsMessage three = restarted(alice).loadGroup(id).orElseThrow().encrypt(utf8("three").toByteArray());
        MlsGroup bobAgain = restarted(bob).loadGroup(id).orElseThrow();
        assertThatThrownBy(() -> bobAgain.process(two)).isInstanceOf(MlsException.class);
        assertThat(((ApplicationMessage) bobAgain.process(three)).data()).isEqualTo(utf8("three"));
    }

    @Test
    void aNewEpochOrACachedProposalSavesTheWholeStateAndDropsTheRatchets() throws MlsException {
        MlsGroup[] g = pair();
        Bytes id = g[0].groupId();
        g[1].process(g[0].encrypt(utf8("before").toByteArray()));
        assertThat(bobStorage.loadGroupRatchets(id)).isPresent();

        SentProposal p = g[0].proposeUpdate();
        g[1].process(p.message());
        assertThat(bobStorage.loadGroupRatchets(id)).isEmpty();
        assertThat(restarted(bob).loadGroup(id).orElseThrow().state().proposals()).containsKey(p.ref());

        g[0].encrypt(utf8("more").toByteArray());
        assertThat(aliceStorage.loadGroupRatchets(id)).isPresent();
        g[0].commitAndMerge(CommitOptions.empty());
        assertThat(aliceStorage.loadGroupRatchets(id)).isEmpty();
        assertThat(restarted(alice).loadGroup(id).orElseThrow().epoch()).isEqualTo(2);
    }

    @Test
    void lateMessagesOfAPastEpochMoveItsRatchetWhichARestartKeeps() throws MlsException {
        MlsGroup[] g = pair();
        Bytes id = g[0].groupId();
        MlsMessage late = g[0].encrypt(utf8("late").toByteArray());
        CommitOutput next = g[0].commitAndMerge(CommitOptions.empty());
        g[1].merge((StagedCommit) g[1].process(next.commit()));

        assertThat(((ApplicationMessage) g[1].process(late)).data()).isEqualTo(utf8("late"));
        assertThat(bobStorage.loadGroupRatchets(id)).isPresent();
        MlsGroup bobLoaded = restarted(bob).loadGroup(id).orElseThrow();
        assertThat(bobLoaded.epoch()).isEqualTo(2);
        assertThatThrownBy(() -> bobLoaded.process(late)).isInstanceOf(MlsException.class);
    }

    @Test
    void ratchetsOfAnotherEpochAreRefusedOnLoad() throws MlsException {
        MlsGroup[] g = pair();
        Bytes id = g[0].groupId();
        g[0].encrypt(utf8("epoch 1").toByteArray());
        byte[] stale = GroupRatchets.encode(g[0].state());
        g[0].commitAndMerge(CommitOptions.empty());
        aliceStorage.saveGroupRatchets(id, stale);

        assertThatThrownBy(() -> restarted(alice).loadGroup(id)).isInstanceOf(StorageException.class)
                .hasMessageContaining("does not decode")
                .hasRootCauseMessage("stored ratchets are of epoch 1, the stored state of epoch 2");
    }

    @Test
    void malformedRatchetsAreRefusedOnLoad() throws MlsException {
        MlsGroup[] g = pair();
        Bytes id = g[0].groupId();
        byte[] ratchets = GroupRatchets.encode(g[0].state());
        aliceStorage.saveGroupRatchets(id, Arrays.copyOf(ratchets, ratchets.length - 1));
        assertThatThrownBy(() -> restarted(alice).loadGroup(id)).isInstanceOf(StorageException.class);

        byte[] trailing = Arrays.copyOf(ratchets, ratchets.length + 1);
        aliceStorage.saveGroupRatchets(id, trailing);
        assertThatThrownBy(() -> restarted(alice).loadGroup(id)).isInstanceOf(StorageException.class)
                .hasRootCauseMessage("1 trailing bytes after the structure");

        aliceStorage.saveGroupRatchets(id, ratchets);
        assertThat(restarted(alice).loadGroup(id).orElseThrow().epoch()).isEqualTo(1);
    }

    @Test
    void ratchetsNeedAStoredState() {
        assertThatThrownBy(() -> aliceStorage.saveGroupRatchets(Bytes.of(new byte[] {9}), new byte[] {1}))
                .isInstanceOf(StorageException.class);
    }
}
