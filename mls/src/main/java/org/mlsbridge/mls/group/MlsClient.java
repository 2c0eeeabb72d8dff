package org.mlsbridge.mls.group;

import java.lang.ref.WeakReference;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * One MLS client: a signature identity, the storage that keeps its KeyPackage private keys and
 * group states, and the group configuration. It makes KeyPackages and creates, joins and loads
 * groups; every group it returns is bound to its storage ({@link MlsGroup#persistIn}), so each
 * call that moves a group's state saves it before returning. PSK values come from the storage
 * unless {@link #withPsks} says otherwise.
 *
 * <p>One client per storage and process: while a group object it returned is in use,
 * {@link #loadGroup} returns that same object, because two objects loaded from one stored state
 * would each send with the same ratchet generations. After a restart, a new client loads the
 * group afresh from storage.
 *
 * <p>The client may be shared between threads (so must its storage be); each group it returns
 * is confined to one thread at a time.
 */
public final class MlsClient {
    private final SignatureIdentity identity;
    private final MlsStorage storage;
    private final GroupConfig config;
    private final PskLookup psks;
    /** The group objects handed out and possibly still in use, by group id; guarded by itself. */
    private final Map<Bytes, WeakReference<MlsGroup>> live;

    private MlsClient(SignatureIdentity identity, MlsStorage storage, GroupConfig config, PskLookup psks,
            Map<Bytes, WeakReference<MlsGroup>> live) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.config = Objects.requireNonNull(config, "config");
        this.psks = Objects.requireNonNull(psks, "psks");
        this.live = live;
    }

    /** A client of {@code identity} keeping its state in {@code storage}. */
    public static MlsClient of(SignatureIdentity identity, MlsStorage storage, GroupConfig config) {
        return new MlsClient(identity, storage, config, PskLookup.fromStorage(storage), new HashMap<>());
    }

    /**
     * The client whose identity {@code storage} keeps under {@code identityName} (saved with
     * {@link #saveIdentity}); empty if there is none.
     */
    public static Optional<MlsClient> load(MlsStorage storage, String identityName, GroupConfig config) {
        return storage.loadSignatureIdentity(identityName).map(id -> of(id, storage, config));
    }

    /** Keeps this client's identity in its storage under {@code name}, for {@link #load}. */
    public void saveIdentity(String name) {
        storage.saveSignatureIdentity(name, identity);
    }

    /** The same client (sharing its live groups) with PSK values from {@code lookup} instead of the storage. */
    public MlsClient withPsks(PskLookup lookup) {
        return new MlsClient(identity, storage, config, lookup, live);
    }

    public SignatureIdentity identity() {
        return identity;
    }

    public MlsStorage storage() {
        return storage;
    }

    public GroupConfig config() {
        return config;
    }

    // ---- KeyPackages -----------------------------------------------------------------------------

    /**
     * Makes a KeyPackage (§10) with the default capabilities and lifetime, keeps its private
     * keys in storage, and returns the MLSMessage to publish. A Welcome for it is joined with
     * {@link #join}, which uses the private keys up.
     */
    public MlsMessage createKeyPackage() throws MlsException {
        return createKeyPackage(UnaryOperator.identity());
    }

    /**
     * A KeyPackage with the last_resort extension: kept after a join, so it may
     * serve several, for when every ordinary one is used up.
     */
    public MlsMessage createLastResortKeyPackage() throws MlsException {
        return createKeyPackage(b -> b.lastResort(true));
    }

    /**
     * As {@link #createKeyPackage()}, with the builder adjusted (capabilities, lifetime,
     * extensions); the crypto provider and clock are always the group configuration's.
     */
    public MlsMessage createKeyPackage(UnaryOperator<KeyPackageBuilder> customize) throws MlsException {
        KeyPackageBuilder builder = customize.apply(KeyPackageBuilder.forIdentity(identity));
        KeyPackageBundle bundle = builder.cryptoProvider(config.crypto()).clock(config.clock()).build();
        try {
            storage.saveKeyPackage(bundle.ref(config.crypto()), bundle);
            return bundle.keyPackage().toMessage();
        } finally {
            bundle.destroy();
        }
    }

    // ---- groups ----------------------------------------------------------------------------------

    /** Creates a one-member group (§11) with a random group id and no GroupContext extensions. */
    public MlsGroup createGroup() throws MlsException {
        return createGroup(List.of());
    }

    /** Creates a one-member group with a random group id, e.g. with external_senders. */
    public MlsGroup createGroup(List<Extension> extensions) throws MlsException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return createGroup(Bytes.wrap(id), extensions);
    }

    /** Creates a one-member group with the given id, saved and bound to this client's storage. */
    public MlsGroup createGroup(Bytes groupId, List<Extension> extensions) throws MlsException {
        MlsGroup group = MlsGroup.create(identity, groupId, extensions, config, psks);
        group.persistIn(storage);
        return track(group);
    }

    /**
     * Joins from a Welcome for one of this client's KeyPackages, its GroupInfo carrying the
     * ratchet tree: the KeyPackage is used up (unless last_resort) and the group saved, together.
     */
    public MlsGroup join(Welcome welcome) throws MlsException {
        return track(MlsGroup.joinFromStorage(welcome, storage, identity, Optional.empty(), config, psks));
    }

    /** Joins from a Welcome, with the ratchet tree given out of band ({@link MlsGroup#ratchetTree()}). */
    public MlsGroup join(Welcome welcome, RatchetTreeExtension tree) throws MlsException {
        return track(MlsGroup.joinFromStorage(welcome, storage, identity, Optional.of(tree.nodes()), config, psks));
    }

    /**
     * Joins by external commit (§12.4.3.2) from a GroupInfo with the ratchet tree and
     * external_pub ({@link MlsGroup#groupInfo()}). The group is saved in the new epoch: send the
     * commit; if another commit for that epoch wins, {@link #deleteGroup} it and try again from a
     * newer GroupInfo.
     */
    public ExternalJoin joinByExternalCommit(GroupInfo groupInfo) throws MlsException {
        return joinByExternalCommit(groupInfo, Optional.empty(), Optional.empty(), Bytes.EMPTY);
    }

    /**
     * Joins by external commit with all options.
     *
     * @param tree the ratchet tree when the GroupInfo lacks the extension
     * @param resync this client's old leaf when it rejoins a group it lost the state of; the
     *     commit removes it
     * @param authenticatedData sent in the clear with the commit, authenticated
     */
    public ExternalJoin joinByExternalCommit(GroupInfo groupInfo, Optional<RatchetTreeExtension> tree,
            Optional<LeafIndex> resync, Bytes authenticatedData) throws MlsException {
        ExternalJoin join = MlsGroup.joinByExternalCommit(groupInfo, tree.map(RatchetTreeExtension::nodes), identity,
                resync, authenticatedData, config, psks);
        join.group().persistIn(storage);
        track(join.group());
        return join;
    }

    /**
     * The group saved under {@code groupId}, bound to this client's storage; empty if none. While
     * an object this client returned for the group is in use (active, its saves not failed), it
     * is returned again instead of a second copy of the same state.
     */
    public Optional<MlsGroup> loadGroup(Bytes groupId) {
        synchronized (live) {
            WeakReference<MlsGroup> ref = live.get(groupId);
            MlsGroup current = ref == null ? null : ref.get();
            if (current != null && current.isActive() && current.isUsable()) {
                return Optional.of(current);
            }
            Optional<MlsGroup> loaded = MlsGroup.load(storage, groupId, config, psks);
            loaded.ifPresentOrElse(this::track, () -> live.remove(groupId));
            return loaded;
        }
    }

    private MlsGroup track(MlsGroup group) {
        synchronized (live) {
            live.values().removeIf(r -> r.get() == null);
            live.put(group.groupId(), new WeakReference<>(group));
        }
        return group;
    }

    /** The ids of the groups in storage. */
    public List<Bytes> groupIds() {
        return storage.groupIds();
    }

    /** Deletes a group's saved state (e.g. after being removed, or a lost external join); true if there was one. */
    public boolean deleteGroup(Bytes groupId) {
        synchronized (live) {
            live.remove(groupId);
        }
        return storage.deleteGroupState(groupId);
    }

    @Override
    public String toString() {
        return "MlsClient[" + identity.credential() + ", " + identity.cipherSuite() + "]";
    }
}
