package org.mlsbridge.bridge.store;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.storage.StorageWork;

/**
 * {@link MlsStorage} on a {@link SqliteStore} where every call is its own transaction, except inside
 * {@link #atomically}, where the calls of the calling thread join the one transaction.
 */
final class AutoCommitMlsStorage implements MlsStorage {
    private final SqliteStore store;

    AutoCommitMlsStorage(SqliteStore store) {
        this.store = store;
    }

    /** One store transaction; the calls inside it join it (as savepoints) instead of committing each. */
    @Override
    public <T, E extends Exception> T atomically(StorageWork<T, E> work) throws E {
        return store.transactionResult(tx -> work.run());
    }

    @Override
    public void saveGroupState(Bytes groupId, byte[] state) {
        store.transaction(tx -> tx.mls().saveGroupState(groupId, state));
    }

    @Override
    public Optional<byte[]> loadGroupState(Bytes groupId) {
        return store.transactionResult(tx -> tx.mls().loadGroupState(groupId));
    }

    @Override
    public boolean saveGroupRatchets(Bytes groupId, byte[] ratchets) {
        return store.transactionResult(tx -> tx.mls().saveGroupRatchets(groupId, ratchets));
    }

    @Override
    public Optional<byte[]> loadGroupRatchets(Bytes groupId) {
        return store.transactionResult(tx -> tx.mls().loadGroupRatchets(groupId));
    }

    @Override
    public boolean deleteGroupState(Bytes groupId) {
        return store.transactionResult(tx -> tx.mls().deleteGroupState(groupId));
    }

    @Override
    public List<Bytes> groupIds() {
        return store.transactionResult(tx -> tx.mls().groupIds());
    }

    @Override
    public void saveKeyPackage(Bytes keyPackageRef, KeyPackageBundle bundle) {
        store.transaction(tx -> tx.mls().saveKeyPackage(keyPackageRef, bundle));
    }

    @Override
    public Optional<KeyPackageBundle> loadKeyPackage(Bytes keyPackageRef) {
        return store.transactionResult(tx -> tx.mls().loadKeyPackage(keyPackageRef));
    }

    @Override
    public Optional<KeyPackageBundle> consumeKeyPackage(Bytes keyPackageRef) {
        return store.transactionResult(tx -> tx.mls().consumeKeyPackage(keyPackageRef));
    }

    @Override
    public boolean deleteKeyPackage(Bytes keyPackageRef) {
        return store.transactionResult(tx -> tx.mls().deleteKeyPackage(keyPackageRef));
    }

    @Override
    public List<Bytes> keyPackageRefs() {
        return store.transactionResult(tx -> tx.mls().keyPackageRefs());
    }

    @Override
    public void saveSignatureIdentity(String name, SignatureIdentity identity) {
        store.transaction(tx -> tx.mls().saveSignatureIdentity(name, identity));
    }

    @Override
    public Optional<SignatureIdentity> loadSignatureIdentity(String name) {
        return store.transactionResult(tx -> tx.mls().loadSignatureIdentity(name));
    }

    @Override
    public boolean deleteSignatureIdentity(String name) {
        return store.transactionResult(tx -> tx.mls().deleteSignatureIdentity(name));
    }

    @Override
    public void saveExternalPsk(Bytes pskId, Secret psk) {
        store.transaction(tx -> tx.mls().saveExternalPsk(pskId, psk));
    }

    @Override
    public Optional<Secret> loadExternalPsk(Bytes pskId) {
        return store.transactionResult(tx -> tx.mls().loadExternalPsk(pskId));
    }

    @Override
    public boolean deleteExternalPsk(Bytes pskId) {
        return store.transactionResult(tx -> tx.mls().deleteExternalPsk(pskId));
    }

    @Override
    public void saveResumptionPsk(Bytes groupId, long epoch, Secret psk) {
        store.transaction(tx -> tx.mls().saveResumptionPsk(groupId, epoch, psk));
    }

    @Override
    public Optional<Secret> loadResumptionPsk(Bytes groupId, long epoch) {
        return store.transactionResult(tx -> tx.mls().loadResumptionPsk(groupId, epoch));
    }

    @Override
    public int deleteResumptionPsksBefore(Bytes groupId, long epoch) {
        return store.transactionResult(tx -> tx.mls().deleteResumptionPsksBefore(groupId, epoch));
    }

    @Override
    public int deleteResumptionPsks(Bytes groupId) {
        return store.transactionResult(tx -> tx.mls().deleteResumptionPsks(groupId));
    }

    @Override
    public String toString() {
        return "MlsStorage[" + store + "]";
    }
}
