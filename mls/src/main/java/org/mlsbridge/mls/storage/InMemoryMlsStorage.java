package org.mlsbridge.mls.storage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;

/**
 * {@link MlsStorage} in memory, for tests and short-lived clients. Values are kept in their
 * storage encodings, so every load decodes a fresh copy and the formats are exercised exactly
 * as a persistent store would use them. One lock guards everything: simple and atomic, and
 * storage calls are short. {@link #atomically} copies the whole store first, which is fine for
 * the small stores of tests.
 */
public final class InMemoryMlsStorage implements MlsStorage {
    private final Map<Bytes, byte[]> groups = new HashMap<>();
    private final Map<Bytes, byte[]> ratchets = new HashMap<>();
    private final Map<Bytes, byte[]> keyPackages = new HashMap<>();
    private final Map<String, byte[]> identities = new HashMap<>();
    private final Map<Bytes, byte[]> externalPsks = new HashMap<>();
    /** Per group, epochs ordered as unsigned 64-bit values. */
    private final Map<Bytes, TreeMap<Long, byte[]>> resumptionPsks = new HashMap<>();

    /** Snapshots everything, runs the work under the lock, and restores the snapshot if it throws. */
    @Override
    public synchronized <T, E extends Exception> T atomically(StorageWork<T, E> work) throws E {
        Map<Bytes, byte[]> groupsBefore = deepCopy(groups);
        Map<Bytes, byte[]> ratchetsBefore = deepCopy(ratchets);
        Map<Bytes, byte[]> keyPackagesBefore = deepCopy(keyPackages);
        Map<String, byte[]> identitiesBefore = deepCopy(identities);
        Map<Bytes, byte[]> externalPsksBefore = deepCopy(externalPsks);
        Map<Bytes, TreeMap<Long, byte[]>> resumptionBefore = new HashMap<>();
        resumptionPsks.forEach((g, epochs) -> {
            TreeMap<Long, byte[]> copy = new TreeMap<>(Long::compareUnsigned);
            epochs.forEach((e, v) -> copy.put(e, v.clone()));
            resumptionBefore.put(g, copy);
        });
        boolean done = false;
        try {
            T result = work.run();
            done = true;
            return result;
        } finally {
            if (done) {
                wipeAll(groupsBefore, ratchetsBefore, keyPackagesBefore, identitiesBefore, externalPsksBefore);
                resumptionBefore.values().forEach(m -> m.values().forEach(InMemoryMlsStorage::wipe));
            } else {
                restore(groups, groupsBefore);
                restore(ratchets, ratchetsBefore);
                restore(keyPackages, keyPackagesBefore);
                restore(identities, identitiesBefore);
                restore(externalPsks, externalPsksBefore);
                resumptionPsks.values().forEach(m -> m.values().forEach(InMemoryMlsStorage::wipe));
                resumptionPsks.clear();
                resumptionPsks.putAll(resumptionBefore);
            }
        }
    }

    private static <K> Map<K, byte[]> deepCopy(Map<K, byte[]> map) {
        Map<K, byte[]> copy = new HashMap<>();
        map.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private static <K> void restore(Map<K, byte[]> live, Map<K, byte[]> snapshot) {
        live.values().forEach(InMemoryMlsStorage::wipe);
        live.clear();
        live.putAll(snapshot);
    }

    @SafeVarargs
    private static void wipeAll(Map<?, byte[]>... maps) {
        for (Map<?, byte[]> m : maps) {
            m.values().forEach(InMemoryMlsStorage::wipe);
        }
    }

    @Override
    public synchronized void saveGroupState(Bytes groupId, byte[] state) {
        Objects.requireNonNull(groupId, "groupId");
        wipe(groups.put(groupId, state.clone()));
        wipe(ratchets.remove(groupId));
    }

    @Override
    public synchronized boolean saveGroupRatchets(Bytes groupId, byte[] encoded) {
        Objects.requireNonNull(groupId, "groupId");
        if (!groups.containsKey(groupId)) {
            throw new StorageException("no state of group " + groupId + " to save ratchets for");
        }
        wipe(ratchets.put(groupId, encoded.clone()));
        return true;
    }

    @Override
    public synchronized Optional<byte[]> loadGroupRatchets(Bytes groupId) {
        byte[] r = ratchets.get(groupId);
        return r == null ? Optional.empty() : Optional.of(r.clone());
    }

    @Override
    public synchronized Optional<byte[]> loadGroupState(Bytes groupId) {
        byte[] state = groups.get(groupId);
        return state == null ? Optional.empty() : Optional.of(state.clone());
    }

    @Override
    public synchronized boolean deleteGroupState(Bytes groupId) {
        byte[] old = groups.remove(groupId);
        wipe(old);
        wipe(ratchets.remove(groupId));
        return old != null;
    }

    @Override
    public synchronized List<Bytes> groupIds() {
        return List.copyOf(groups.keySet());
    }

    @Override
    public synchronized void saveKeyPackage(Bytes keyPackageRef, KeyPackageBundle bundle) {
        Objects.requireNonNull(keyPackageRef, "keyPackageRef");
        wipe(keyPackages.put(keyPackageRef, bundle.encode()));
    }

    @Override
    public synchronized Optional<KeyPackageBundle> loadKeyPackage(Bytes keyPackageRef) {
        byte[] data = keyPackages.get(keyPackageRef);
        return data == null ? Optional.empty() : Optional.of(decodeBundle(data));
    }

    @Override
    public synchronized Optional<KeyPackageBundle> consumeKeyPackage(Bytes keyPackageRef) {
        byte[] data = keyPackages.get(keyPackageRef);
        if (data == null) {
            return Optional.empty();
        }
        KeyPackageBundle bundle = decodeBundle(data);
        if (!bundle.isLastResort()) {
            wipe(keyPackages.remove(keyPackageRef));
        }
        return Optional.of(bundle);
    }

    @Override
    public synchronized boolean deleteKeyPackage(Bytes keyPackageRef) {
        byte[] old = keyPackages.remove(keyPackageRef);
        wipe(old);
        return old != null;
    }

    @Override
    public synchronized List<Bytes> keyPackageRefs() {
        return List.copyOf(keyPackages.keySet());
    }

    @Override
    public synchronized void saveSignatureIdentity(String name, SignatureIdentity identity) {
        Objects.requireNonNull(name, "name");
        wipe(identities.put(name, identity.encode()));
    }

    @Override
    public synchronized Optional<SignatureIdentity> loadSignatureIdentity(String name) {
        byte[] data = identities.get(name);
        if (data == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SignatureIdentity.decode(data));
        } catch (DecodeException e) {
            throw new StorageException("stored signature identity '" + name + "' does not decode", e);
        }
    }

    @Override
    public synchronized boolean deleteSignatureIdentity(String name) {
        byte[] old = identities.remove(name);
        wipe(old);
        return old != null;
    }

    @Override
    public synchronized void saveExternalPsk(Bytes pskId, Secret psk) {
        Objects.requireNonNull(pskId, "pskId");
        wipe(externalPsks.put(pskId, psk.copy()));
    }

    @Override
    public synchronized Optional<Secret> loadExternalPsk(Bytes pskId) {
        byte[] psk = externalPsks.get(pskId);
        return psk == null ? Optional.empty() : Optional.of(Secret.of(psk));
    }

    @Override
    public synchronized boolean deleteExternalPsk(Bytes pskId) {
        byte[] old = externalPsks.remove(pskId);
        wipe(old);
        return old != null;
    }

    @Override
    public synchronized void saveResumptionPsk(Bytes groupId, long epoch, Secret psk) {
        Objects.requireNonNull(groupId, "groupId");
        wipe(resumptionPsks.computeIfAbsent(groupId, g -> new TreeMap<>(Long::compareUnsigned))
                .put(epoch, psk.copy()));
    }

    @Override
    public synchronized Optional<Secret> loadResumptionPsk(Bytes groupId, long epoch) {
        TreeMap<Long, byte[]> epochs = resumptionPsks.get(groupId);
        byte[] psk = epochs == null ? null : epochs.get(epoch);
        return psk == null ? Optional.empty() : Optional.of(Secret.of(psk));
    }

    @Override
    public synchronized int deleteResumptionPsksBefore(Bytes groupId, long epoch) {
        TreeMap<Long, byte[]> epochs = resumptionPsks.get(groupId);
        if (epochs == null) {
            return 0;
        }
        int deleted = 0;
        for (Iterator<byte[]> it = epochs.headMap(epoch, false).values().iterator(); it.hasNext(); ) {
            wipe(it.next());
            it.remove();
            deleted++;
        }
        if (epochs.isEmpty()) {
            resumptionPsks.remove(groupId);
        }
        return deleted;
    }

    @Override
    public synchronized int deleteResumptionPsks(Bytes groupId) {
        TreeMap<Long, byte[]> epochs = resumptionPsks.remove(groupId);
        if (epochs == null) {
            return 0;
        }
        epochs.values().forEach(InMemoryMlsStorage::wipe);
        return epochs.size();
    }

    private static KeyPackageBundle decodeBundle(byte[] data) {
        try {
            return KeyPackageBundle.decode(data);
        } catch (DecodeException e) {
            throw new StorageException("stored KeyPackage bundle does not decode", e);
        }
    }

    private static void wipe(byte[] data) {
        if (data != null) {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** Counts, for tests and diagnostics; never the values. */
    @Override
    public synchronized String toString() {
        return "InMemoryMlsStorage[" + groups.size() + " groups, " + keyPackages.size() + " KeyPackages, "
                + identities.size() + " identities, " + externalPsks.size() + " external PSKs, "
                + resumptionPsks.values().stream().mapToInt(Map::size).sum() + " resumption PSKs]";
    }
}
