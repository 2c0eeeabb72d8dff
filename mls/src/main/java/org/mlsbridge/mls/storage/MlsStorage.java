package org.mlsbridge.mls.storage;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;

/**
 * Where a client keeps what outlives one call: group states, KeyPackage private keys, signature
 * identities and PSKs. Implementations must be safe for use from several threads; every value
 * handed in is copied and every value handed out is a fresh copy the caller owns (and may wipe).
 *
 * <p>Persistent implementations store these byte formats, which are stable:
 * <ul>
 *   <li>group state: the opaque bytes given to {@link #saveGroupState} (the group layer's codec),
 *       and those given to {@link #saveGroupRatchets} if the storage keeps them apart;
 *   <li>KeyPackage bundle: {@link KeyPackageBundle#encode()};
 *   <li>signature identity: {@link SignatureIdentity#encode()};
 *   <li>PSKs: the raw secret bytes.
 * </ul>
 * All of them except KeyPackages' public part contain secrets; a persistent implementation is
 * expected to encrypt them at rest. Failures of the backend are {@link StorageException}s.
 */
public interface MlsStorage {
    /**
     * Runs {@code work}, whose calls on this storage take effect together or not at all: if it
     * throws, every change it made is undone and the exception propagates. Joining a group, for
     * example, consumes a KeyPackage and saves the new group state in one step. Other threads
     * do not see a half-done unit.
     */
    <T, E extends Exception> T atomically(StorageWork<T, E> work) throws E;

    // ---- group state, keyed by group id --------------------------------------------------------

    /**
     * Stores (or replaces) the encoded state of a group. The array holds secrets in the clear:
     * copy or seal it before returning and keep no reference, because the caller zeroes it then.
     */
    void saveGroupState(Bytes groupId, byte[] state);

    /** A copy of the stored state, or empty. */
    Optional<byte[]> loadGroupState(Bytes groupId);

    /** Deletes the state; true if there was one. */
    boolean deleteGroupState(Bytes groupId);

    /** The ids of all stored group states, in no particular order. */
    List<Bytes> groupIds();

    /**
     * Stores a group's ratchets (the group layer's {@code GroupRatchets} bytes: its secret trees)
     * apart from its state, replacing any stored before. A group whose call moved nothing else
     * (sending or reading an application message) saves only these. A later
     * {@link #saveGroupState} or {@link #deleteGroupState} of the group must delete them in the
     * same unit. The array holds secrets in the clear, as for {@link #saveGroupState}.
     *
     * @return false if this storage does not keep ratchets apart (the default): the group then
     *     saves its whole state instead
     */
    default boolean saveGroupRatchets(Bytes groupId, byte[] ratchets) {
        return false;
    }

    /** A copy of the ratchets stored apart since the group's last {@link #saveGroupState}, or empty. */
    default Optional<byte[]> loadGroupRatchets(Bytes groupId) {
        return Optional.empty();
    }

    // ---- KeyPackages, keyed by KeyPackageRef (RFC 9420 §5.2) ----------------------------------

    void saveKeyPackage(Bytes keyPackageRef, KeyPackageBundle bundle);

    /** A copy of the bundle without using it up. */
    Optional<KeyPackageBundle> loadKeyPackage(Bytes keyPackageRef);

    /**
     * Takes the bundle for a join: it is deleted in the same step unless it is last_resort
     * ({@link KeyPackageBundle#isLastResort()}), so a KeyPackage's private keys serve one join only.
     */
    Optional<KeyPackageBundle> consumeKeyPackage(Bytes keyPackageRef);

    /** Deletes the bundle whether or not it is last_resort; true if there was one. */
    boolean deleteKeyPackage(Bytes keyPackageRef);

    List<Bytes> keyPackageRefs();

    // ---- signature identities, keyed by an application-chosen name -----------------------------

    void saveSignatureIdentity(String name, SignatureIdentity identity);

    Optional<SignatureIdentity> loadSignatureIdentity(String name);

    boolean deleteSignatureIdentity(String name);

    // ---- external PSKs, keyed by psk_id (RFC 9420 §8.4) ----------------------------------------

    void saveExternalPsk(Bytes pskId, Secret psk);

    Optional<Secret> loadExternalPsk(Bytes pskId);

    boolean deleteExternalPsk(Bytes pskId);

    // ---- resumption PSKs, keyed by (group id, epoch) (RFC 9420 §8.6) --------------------------

    /** @param epoch unsigned 64-bit */
    void saveResumptionPsk(Bytes groupId, long epoch, Secret psk);

    Optional<Secret> loadResumptionPsk(Bytes groupId, long epoch);

    /**
     * Deletes the group's resumption PSKs of epochs before {@code epoch} (unsigned comparison),
     * keeping {@code epoch} and later: how a group bounds the past epochs it can resume from.
     *
     * @return how many were deleted
     */
    int deleteResumptionPsksBefore(Bytes groupId, long epoch);

    /** Deletes all resumption PSKs of the group; how many were deleted. */
    int deleteResumptionPsks(Bytes groupId);
}
