package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlsbridge.mls.group.StoredClients.client;
import static org.mlsbridge.mls.group.StoredClients.restarted;
import static org.mlsbridge.mls.group.StoredClients.utf8;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.storage.StorageException;

/**
 * A group bound to its storage saves every advance of its ratchets and every new epoch before
 * a call returns: "killing" a member (dropping the object without any save by the caller) and
 * loading it again never sends a generation twice (its receiver would reject the second as a
 * replay) and never accepts a message twice. The first test shows what the binding prevents.
 */
class PersistedGroupTest {
    private static final GroupConfig CONFIG = StoredClients.CONFIG;

    private final MlsClient alice = client("alice", new InMemoryMlsStorage());
    private final MlsClient bob = client("bob", new InMemoryMlsStorage());

    private MlsGroup[] pair() throws MlsException {
        return StoredClients.pair(alice, bob);
    }

    @Test
    void aHandMadeSnapshotRestoredAfterEncryptReusesTheGenerationWhichTheReceiverRejects() throws MlsException {
        MlsGroup[] g = pair();
        byte[] snapshot = GroupStateCodec.encode(g[0].state());
        MlsMessage first = g[0].encrypt(utf8("first").toByteArray());
        MlsGroup restored = MlsGroup.resume(GroupStateCodec.decode(snapshot, CONFIG), CONFIG, PskLookup.none());
        MlsMessage reused = restored.encrypt(utf8("second").toByteArray());

        assertThat(g[1].process(first)).isInstanceOf(ApplicationMessage.class);
        assertThatThrownBy(() -> g[1].process(reused)).isInstanceOf(MlsException.class);
    }

    @Test
    void encryptKillLoadEncryptUsesAFreshGeneration() throws MlsException {
        MlsGroup[] g = pair();
        Bytes id = g[0].groupId();
        MlsMessage first = g[0].encrypt(utf8("first").toByteArray());
        // killed: the object is gone, nobody saved anything by hand
        MlsGroup loaded = restarted(alice).loadGroup(id).orElseThrow();
        MlsMessage second = loaded.encrypt(utf8("second").toByteArray());
        MlsMessage third = restarted(alice).loadGroup(id).orElseThrow().encrypt(utf8("third").toByteArray());

        for (var m : List.of(first, second, third)) {
            assertThat(g[1].process(m)).isInstanceOf(ApplicationMessage.class);
        }
    }

    @Test
    void processKillLoadProcessNeverAcceptsTwice() throws MlsException {
        MlsGroup[] g = pair();
        MlsMessage m1 = g[0].encrypt(utf8("one").toByteArray());
        MlsMessage m2 = g[0].encrypt(utf8("two").toByteArray());
        ApplicationMessage read = (ApplicationMessage) g[1].process(m1);
        assertThat(read.data()).isEqualTo(utf8("one"));

        MlsGroup loaded = restarted(bob).loadGroup(g[1].groupId()).orElseThrow();
        assertThatThrownBy(() -> loaded.process(m1)).isInstanceOf(MlsException.class);
        assertThat(((ApplicationMessage) loaded.process(m2)).data()).isEqualTo(utf8("two"));
        MlsGroup again = restarted(bob).loadGroup(g[1].groupId()).orElseThrow();
        assertThatThrownBy(() -> again.process(m2)).isInstanceOf(MlsException.class);
    }

    @Test
    void everyNewEpochIsSavedBeforeTheCallReturns() throws MlsException {
        MlsGroup[] g = pair();
        MlsClient carol = client("carol", new InMemoryMlsStorage());
        CommitOutput add = g[0].commitAndMerge(CommitOptions.of(new Proposal.Add(
                MlsMessage.decodeKeyPackage(carol.createKeyPackage().encode()))));
        assertThat(restarted(alice).loadGroup(g[0].groupId()).orElseThrow().epoch()).isEqualTo(2);

        g[1].merge((StagedCommit) g[1].process(add.commit()));
        MlsGroup bobLoaded = restarted(bob).loadGroup(g[1].groupId()).orElseThrow();
        assertThat(bobLoaded.epochAuthenticator()).isEqualTo(g[0].epochAuthenticator());

        // a pending commit is not an epoch yet; merging it on the echo is
        CommitOutput update = bobLoaded.commit(CommitOptions.empty());
        assertThat(restarted(bob).loadGroup(g[1].groupId()).orElseThrow().epoch()).isEqualTo(2);
        bobLoaded.merge((StagedCommit) bobLoaded.process(update.commit()));
        assertThat(restarted(bob).loadGroup(g[1].groupId()).orElseThrow().epoch()).isEqualTo(3);
    }

    @Test
    void aMemberRemovedByAMergedCommitHasItsStoredStateDeleted() throws MlsException {
        MlsGroup[] g = pair();
        CommitOutput remove = g[0].commitAndMerge(CommitOptions.of(new Proposal.Remove(g[1].ownLeaf())));
        g[1].merge((StagedCommit) g[1].process(remove.commit()));
        assertThat(g[1].isActive()).isFalse();
        assertThat(restarted(bob).loadGroup(g[1].groupId())).isEmpty();
    }

    @Test
    void proposalsAreSavedWithTheRatchetTheyUsed() throws MlsException {
        MlsGroup[] g = pair();
        SentProposal p = g[1].proposeUpdate();
        MlsGroup aliceLoaded = restarted(alice).loadGroup(g[0].groupId()).orElseThrow();
        aliceLoaded.process(p.message());
        assertThat(restarted(alice).loadGroup(g[0].groupId()).orElseThrow().state().proposals()).containsKey(p.ref());
    }

    @Test
    void aFailedSaveMakesTheObjectRefuseAndStorageKeepsTheLastSavedState() throws MlsException {
        FailingStorage storage = new FailingStorage();
        MlsClient a = client("alice", storage);
        MlsGroup group = a.createGroup();
        long saves = storage.saves;
        storage.fail = true;
        assertThatThrownBy(() -> group.encrypt(utf8("lost").toByteArray())).isInstanceOf(StorageException.class);
        assertThat(storage.saves).isEqualTo(saves);
        assertThatThrownBy(() -> group.encrypt(utf8("again").toByteArray()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("load it again");
        storage.fail = false;
        MlsGroup reloaded = a.loadGroup(group.groupId()).orElseThrow();
        assertThat(reloaded).as("the refusing object is not handed out again").isNotSameAs(group);
        assertThat(reloaded.epoch()).isZero();
    }

    @Test
    void aFailedStepSavesNothing() throws MlsException {
        MlsGroup[] g = pair();
        InMemoryMlsStorage storage = (InMemoryMlsStorage) bob.storage();
        byte[] before = storage.loadGroupState(g[1].groupId()).orElseThrow();
        MlsMessage foreign = pair()[0].encrypt(utf8("other group").toByteArray());
        assertThatThrownBy(() -> g[1].process(foreign)).isInstanceOf(MlsException.class);
        assertThat(storage.loadGroupState(g[1].groupId()).orElseThrow()).isEqualTo(before);
        assertThat(g[1].process(g[0].encrypt(utf8("still fine").toByteArray())))
                .isInstanceOf(ApplicationMessage.class);
    }

    @Test
    void aClientHandsOutOneObjectPerGroupSoTwoCopiesCannotSendTheSameGeneration() throws MlsException {
        MlsGroup[] g = pair();
        MlsGroup again = alice.loadGroup(g[0].groupId()).orElseThrow();
        assertThat(again).isSameAs(g[0]);
        assertThat(alice.withPsks(PskLookup.none()).loadGroup(g[0].groupId()).orElseThrow()).isSameAs(g[0]);
        MlsMessage first = g[0].encrypt(utf8("one").toByteArray());
        MlsMessage second = again.encrypt(utf8("two").toByteArray());
        assertThat(g[1].process(first)).isInstanceOf(ApplicationMessage.class);
        assertThat(g[1].process(second)).isInstanceOf(ApplicationMessage.class);
    }

    @Test
    void anUnboundGroupIsBoundByPersistIn() throws MlsException {
        MlsStorage storage = new InMemoryMlsStorage();
        MlsGroup group = MlsGroup.create(alice.identity(), List.of(), CONFIG, PskLookup.none());
        assertThat(group.isPersisted()).isFalse();
        group.persistIn(storage);
        assertThat(group.isPersisted()).isTrue();
        group.commitAndMerge(CommitOptions.empty());
        assertThat(MlsGroup.load(storage, group.groupId(), CONFIG, PskLookup.none()).orElseThrow().epoch())
                .isEqualTo(1);
        assertThat(MlsGroup.load(storage, Bytes.of(new byte[] {1}), CONFIG, PskLookup.none())).isEmpty();
    }

    /** In-memory storage whose group-state saves can be made to fail, as a full disk would. */
    private static final class FailingStorage implements MlsStorage {
        private final InMemoryMlsStorage inner = new InMemoryMlsStorage();
        boolean fail;
        long saves;

        @Override
        public <T, E extends Exception> T atomically(org.mlsbridge.mls.storage.StorageWork<T, E> work) throws E {
            return inner.atomically(work);
        }

        @Override
        public void saveGroupState(Bytes groupId, byte[] state) {
            if (fail) {
                throw new StorageException("disk full");
            }
            saves++;
            inner.saveGroupState(groupId, state);
        }

        @Override
        public Optional<byte[]> loadGroupState(Bytes groupId) {
            return inner.loadGroupState(groupId);
        }

        @Override
        public boolean deleteGroupState(Bytes groupId) {
            return inner.deleteGroupState(groupId);
        }

        @Override
        public List<Bytes> groupIds() {
            return inner.groupIds();
        }

        @Override
        public void saveKeyPackage(Bytes ref, org.mlsbridge.mls.keys.KeyPackageBundle bundle) {
            inner.saveKeyPackage(ref, bundle);
        }

        @Override
        public Optional<org.mlsbridge.mls.keys.KeyPackageBundle> loadKeyPackage(Bytes ref) {
            return inner.loadKeyPackage(ref);
        }

        @Override
        public Optional<org.mlsbridge.mls.keys.KeyPackageBundle> consumeKeyPackage(Bytes ref) {
            return inner.consumeKeyPackage(ref);
        }

        @Override
        public boolean deleteKeyPackage(Bytes ref) {
            return inner.deleteKeyPackage(ref);
        }

        @Override
        public List<Bytes> keyPackageRefs() {
            return inner.keyPackageRefs();
        }

        @Override
        public void saveSignatureIdentity(String name, SignatureIdentity identity) {
            inner.saveSignatureIdentity(name, identity);
        }

        @Override
        public Optional<SignatureIdentity> loadSignatureIdentity(String name) {
            return inner.loadSignatureIdentity(name);
        }

        @Override
        public boolean deleteSignatureIdentity(String name) {
            return inner.deleteSignatureIdentity(name);
        }

        @Override
        public void saveExternalPsk(Bytes pskId, org.mlsbridge.mls.crypto.Secret psk) {
            inner.saveExternalPsk(pskId, psk);
        }

        @Override
        public Optional<org.mlsbridge.mls.crypto.Secret> loadExternalPsk(Bytes pskId) {
            return inner.loadExternalPsk(pskId);
        }

        @Override
        public boolean deleteExternalPsk(Bytes pskId) {
            return inner.deleteExternalPsk(pskId);
        }

        @Override
        public void saveResumptionPsk(Bytes groupId, long epoch, org.mlsbridge.mls.crypto.Secret psk) {
            inner.saveResumptionPsk(groupId, epoch, psk);
        }

        @Override
        public Optional<org.mlsbridge.mls.crypto.Secret> loadResumptionPsk(Bytes groupId, long epoch) {
            return inner.loadResumptionPsk(groupId, epoch);
        }

        @Override
        public int deleteResumptionPsksBefore(Bytes groupId, long epoch) {
            return inner.deleteResumptionPsksBefore(groupId, epoch);
        }

        @Override
        public int deleteResumptionPsks(Bytes groupId) {
            return inner.deleteResumptionPsks(groupId);
        }
    }
}
