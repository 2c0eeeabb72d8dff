package org.mlsbridge.bridge.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.bridge.store.StoreException.Kind;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.storage.StorageWork;

/**
 * {@link MlsStorage} inside one store transaction: nothing it writes is visible to others, or
 * durable, until the transaction commits, and all of it is undone if the transaction fails.
 * Every value column is sealed with the row's identity as associated data.
 */
final class TransactionMlsStorage implements MlsStorage {
    static final String KEY_PACKAGE = "mls_key_package";
    static final String SIGNATURE_IDENTITY = "mls_signature_identity";
    static final String EXTERNAL_PSK = "mls_external_psk";
    static final String RESUMPTION_PSK = "mls_resumption_psk";

    private final Sql sql;
    private final GroupStateTable groups;
    private final GroupRatchetTable ratchets;

    TransactionMlsStorage(Sql sql) {
        this.sql = sql;
        this.groups = new GroupStateTable(sql);
        this.ratchets = new GroupRatchetTable(sql);
    }

    int groupStateChunkCount(Bytes groupId) {
        return groups.chunkCount(groupId);
    }

    /** A savepoint inside the store transaction: a failing unit undoes only its own changes. */
    @Override
    public <T, E extends Exception> T atomically(StorageWork<T, E> work) throws E {
        return sql.savepoint(work);
    }

    // ---- group state: chunked, see GroupStateTable; ratchets apart, see GroupRatchetTable

    @Override
    public void saveGroupState(Bytes groupId, byte[] state) {
        Objects.requireNonNull(groupId, "groupId");
        groups.save(groupId, state);
        ratchets.delete(groupId);
    }

    @Override
    public boolean saveGroupRatchets(Bytes groupId, byte[] encoded) {
        Objects.requireNonNull(groupId, "groupId");
        ratchets.save(groupId, encoded); // the schema refuses ratchets of a group with no stored state
        return true;
    }

    @Override
    public Optional<byte[]> loadGroupRatchets(Bytes groupId) {
        return ratchets.load(groupId);
    }

    @Override
    public Optional<byte[]> loadGroupState(Bytes groupId) {
        return groups.load(groupId);
    }

    @Override
    public boolean deleteGroupState(Bytes groupId) {
        ratchets.delete(groupId);
        return groups.delete(groupId);
    }

    @Override
    public List<Bytes> groupIds() {
        return groups.groupIds();
    }

    // ---- KeyPackages

    static RowId keyPackageRow(Bytes ref) {
        return RowId.table(KEY_PACKAGE).bytes(ref).build();
    }

    @Override
    public void saveKeyPackage(Bytes keyPackageRef, KeyPackageBundle bundle) {
        Objects.requireNonNull(keyPackageRef, "keyPackageRef");
        byte[] plain = bundle.encode();
        try {
            byte[] sealed = sql.cipher().seal(keyPackageRow(keyPackageRef), plain);
            sql.update("INSERT INTO " + KEY_PACKAGE + " (ref, bundle, last_resort, created_ms) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (ref) DO UPDATE SET bundle = excluded.bundle, last_resort = excluded.last_resort",
                    keyPackageRef, sealed, bundle.isLastResort(), sql.nowMillis());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Optional<KeyPackageBundle> loadKeyPackage(Bytes keyPackageRef) {
        return sql.one("SELECT bundle FROM " + KEY_PACKAGE + " WHERE ref = ?", rs -> rs.getBytes(1), keyPackageRef)
                .map(sealed -> decodeBundle(keyPackageRef, sealed));
    }

    @Override
    public Optional<KeyPackageBundle> consumeKeyPackage(Bytes keyPackageRef) {
        Optional<KeyPackageBundle> bundle = loadKeyPackage(keyPackageRef);
        bundle.filter(b -> !b.isLastResort()).ifPresent(b -> deleteKeyPackage(keyPackageRef));
        return bundle;
    }

    @Override
    public boolean deleteKeyPackage(Bytes keyPackageRef) {
        return sql.update("DELETE FROM " + KEY_PACKAGE + " WHERE ref = ?", keyPackageRef) > 0;
    }

    @Override
    public List<Bytes> keyPackageRefs() {
        return sql.list("SELECT ref FROM " + KEY_PACKAGE + " ORDER BY created_ms, ref", rs -> Bytes.wrap(rs.getBytes(1)));
    }

    /** How many KeyPackages that are not last_resort are stored: what a client tops its pool up against. */
    int ordinaryKeyPackageCount() {
        return sql.one("SELECT count(*) FROM " + KEY_PACKAGE + " WHERE last_resort = 0", rs -> rs.getInt(1)).orElse(0);
    }

    private KeyPackageBundle decodeBundle(Bytes ref, byte[] sealed) {
        byte[] plain = sql.cipher().open(keyPackageRow(ref), sealed);
        try {
            return KeyPackageBundle.decode(plain);
        } catch (DecodeException e) {
            throw new StoreException(Kind.CORRUPT, "stored KeyPackage bundle " + ref + " does not decode", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    // ---- signature identities

    static RowId identityRow(String name) {
        return RowId.table(SIGNATURE_IDENTITY).text(name).build();
    }

    @Override
    public void saveSignatureIdentity(String name, SignatureIdentity identity) {
        Objects.requireNonNull(name, "name");
        byte[] plain = identity.encode();
        try {
            byte[] sealed = sql.cipher().seal(identityRow(name), plain);
            sql.update("INSERT INTO " + SIGNATURE_IDENTITY + " (name, identity) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET identity = excluded.identity", name, sealed);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Optional<SignatureIdentity> loadSignatureIdentity(String name) {
        return sql.one("SELECT identity FROM " + SIGNATURE_IDENTITY + " WHERE name = ?", rs -> rs.getBytes(1), name)
                .map(sealed -> {
                    byte[] plain = sql.cipher().open(identityRow(name), sealed);
                    try {
                        return SignatureIdentity.decode(plain);
                    } catch (DecodeException e) {
                        throw new StoreException(Kind.CORRUPT, "stored signature identity '" + name + "' does not decode", e);
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                });
    }

    @Override
    public boolean deleteSignatureIdentity(String name) {
        return sql.update("DELETE FROM " + SIGNATURE_IDENTITY + " WHERE name = ?", name) > 0;
    }

    // ---- external PSKs

    static RowId externalPskRow(Bytes pskId) {
        return RowId.table(EXTERNAL_PSK).bytes(pskId).build();
    }

    @Override
    public void saveExternalPsk(Bytes pskId, Secret psk) {
        Objects.requireNonNull(pskId, "pskId");
        byte[] plain = psk.copy();
        try {
            byte[] sealed = sql.cipher().seal(externalPskRow(pskId), plain);
            sql.update("INSERT INTO " + EXTERNAL_PSK + " (psk_id, psk) VALUES (?, ?)"
                    + " ON CONFLICT (psk_id) DO UPDATE SET psk = excluded.psk", pskId, sealed);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Optional<Secret> loadExternalPsk(Bytes pskId) {
        return sql.one("SELECT psk FROM " + EXTERNAL_PSK + " WHERE psk_id = ?", rs -> rs.getBytes(1), pskId)
                .map(sealed -> Secret.wrap(sql.cipher().open(externalPskRow(pskId), sealed)));
    }

    @Override
    public boolean deleteExternalPsk(Bytes pskId) {
        return sql.update("DELETE FROM " + EXTERNAL_PSK + " WHERE psk_id = ?", pskId) > 0;
    }

    // ---- resumption PSKs

    static RowId resumptionPskRow(Bytes groupId, long epoch) {
        return RowId.table(RESUMPTION_PSK).bytes(groupId).uint64(epoch).build();
    }

    @Override
    public void saveResumptionPsk(Bytes groupId, long epoch, Secret psk) {
        Objects.requireNonNull(groupId, "groupId");
        byte[] plain = psk.copy();
        try {
            byte[] sealed = sql.cipher().seal(resumptionPskRow(groupId, epoch), plain);
            sql.update("INSERT INTO " + RESUMPTION_PSK + " (group_id, epoch, psk) VALUES (?, ?, ?)"
                    + " ON CONFLICT (group_id, epoch) DO UPDATE SET psk = excluded.psk",
                    groupId, SqlCodec.uint64(epoch), sealed);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Optional<Secret> loadResumptionPsk(Bytes groupId, long epoch) {
        return sql.one("SELECT psk FROM " + RESUMPTION_PSK + " WHERE group_id = ? AND epoch = ?", rs -> rs.getBytes(1),
                        groupId, SqlCodec.uint64(epoch))
                .map(sealed -> Secret.wrap(sql.cipher().open(resumptionPskRow(groupId, epoch), sealed)));
    }

    @Override
    public int deleteResumptionPsksBefore(Bytes groupId, long epoch) {
        return sql.update("DELETE FROM " + RESUMPTION_PSK + " WHERE group_id = ? AND epoch < ?",
                groupId, SqlCodec.uint64(epoch));
    }

    @Override
    public int deleteResumptionPsks(Bytes groupId) {
        return sql.update("DELETE FROM " + RESUMPTION_PSK + " WHERE group_id = ?", groupId);
    }

    @Override
    public String toString() {
        return "TransactionMlsStorage[values redacted]";
    }
}
