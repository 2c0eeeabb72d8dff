package org.mlsbridge.bridge.manager;

import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.bridge.trust.DefaultAuthenticationService;
import org.mlsbridge.bridge.trust.KeyPins;
import org.mlsbridge.bridge.trust.Refusal;
import org.mlsbridge.bridge.trust.Sequencing;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.JoinKeys;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.storage.MlsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joining from a Welcome, and then the room messages buffered while it travelled. A Welcome is
 * refused when we already have the room's group, when its group is not the one the room is
 * pinned to, or when the account that sent it is not a member of that group.
 */
final class Welcomes {
    private static final Logger LOG = LoggerFactory.getLogger(Welcomes.class);

    /** How the room-message path takes a buffered message again. */
    @FunctionalInterface
    interface Replay {
        void onRoomMessage(ClientStore.Tx tx, RoomEvent.RoomMessage m);
    }

    private final ClientContext c;

    Welcomes(ClientContext c) {
        this.c = c;
    }

    void onWelcome(ClientStore.Tx tx, RoomEvent.WelcomeReceived w, Replay replay) {
        RoomId room = w.room();
        Optional<String> id = Optional.of(w.serverId().value());
        if (c.group(tx, room).isPresent()) {
            c.drops.drop(tx, room, id, DropReason.INVALID_WELCOME, "already in the room's group");
            return;
        }
        Welcome welcome;
        try {
            if (!(MlsMessage.decode(w.welcome()).body() instanceof Welcome wb)) {
                throw new DecodeException("not a Welcome");
            }
            welcome = wb;
        } catch (DecodeException e) {
            c.drops.drop(tx, room, id, DropReason.INVALID_WELCOME, e.getMessage());
            return;
        }
        MlsStorage mls = tx.mls();
        Optional<Bytes> ref = Optional.empty();
        Optional<KeyPackageBundle> bundle = Optional.empty();
        for (EncryptedGroupSecrets s : welcome.secrets()) {
            bundle = mls.loadKeyPackage(s.newMember());
            if (bundle.isPresent()) {
                ref = Optional.of(s.newMember());
                break;
            }
        }
        if (bundle.isEmpty()) {
            c.drops.drop(tx, room, id, DropReason.INVALID_WELCOME, "none of our KeyPackages");
            return;
        }
        MlsGroup g;
        try {
            g = MlsGroup.join(welcome, JoinKeys.of(bundle.get(), c.identity), c.options.groupConfig(), c.psks());
        } catch (MlsException e) {
            c.drops.drop(tx, room, id, DropReason.INVALID_WELCOME, e.getMessage());
            return;
        }
        RoomRecords r = new RoomRecords(tx, room);
        Optional<Bytes> pinned = r.pinnedGroup();
        if (pinned.isPresent() && !pinned.get().equals(g.groupId())) {
            c.drops.drop(tx, room, id, DropReason.WELCOME_REFUSED, "another group than the room's");
            return;
        }
        if (!isMember(g, w.sender()) && !Sequencing.isSequencer(c.policy(room), w.sender())) {
            c.drops.drop(tx, room, id, DropReason.WELCOME_REFUSED, "sent by " + w.sender() + ", not a member");
            return;
        }
        try {
            pinAll(tx, room, g);
        } catch (Refusal e) {
            c.drops.drop(tx, room, id, DropReason.of(e.rule()), e.getMessage());
            return;
        }
        mls.consumeKeyPackage(ref.get());
        r.setInRoom(true);
        if (!bundle.get().isLastResort()) {
            KeyPackagePool.markUsed(tx, ref.get());
            c.keyPackagesMayBeUsed = true;
        }
        c.adopt(tx, room, g);
        r.setJoinedEpoch(g.epoch());
        c.counters.epochChange();
        LOG.info("joined from Welcome: room={} epoch={} members={}", room, g.epoch(), g.state().tree().memberCount());
        replayBuffer(tx, room, replay);
    }

    private static boolean isMember(MlsGroup g, UserId account) {
        return g.state().tree().findLeaf(l -> Wire.user(l.credential()).equals(Optional.of(account))).isPresent();
    }

    /** Trust on first use for every member of the group we join. */
    private void pinAll(ClientStore.Tx tx, RoomId room, MlsGroup g) throws Refusal {
        StoredTrust trust = new StoredTrust(tx);
        Refusal[] refused = {null};
        g.state().tree().forEachLeaf((i, leaf) -> {
            Optional<UserId> who = DefaultAuthenticationService.account(leaf.credential());
            if (who.isEmpty() || refused[0] != null) {
                return;
            }
            try {
                KeyPins.observe(trust, room, who.get(), leaf.signatureKey(), c.policy(room), c.clock.instant())
                        .ifPresent(trust::report);
            } catch (Refusal e) {
                refused[0] = e;
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    /**
     * Handles the messages kept while the Welcome travelled, each in a savepoint of the join's
     * transaction: one that must be refused is rolled back alone and counted, the join stays.
     */
    private void replayBuffer(ClientStore.Tx tx, RoomId room, Replay replay) {
        for (RoomEvent.RoomMessage m : new PreJoinBuffer(tx, room).drain()) {
            Optional<String> id = Optional.of(m.serverId().value());
            try {
                c.store.transaction(inner -> {
                    replay.onRoomMessage(inner, m);
                    return null;
                });
            } catch (RefusedEvent e) {
                c.forgetCachedGroups();
                if (e.commit()) {
                    c.drops.dropCommit(tx, room, id, e.reason(), e.getMessage());
                } else {
                    c.drops.drop(tx, room, id, e.reason(), e.getMessage());
                }
            } catch (RuntimeException e) {
                if (e instanceof org.mlsbridge.mls.storage.StorageException) {
                    throw e;
                }
                c.forgetCachedGroups();
                c.drops.drop(tx, room, id, DropReason.INTERNAL_ERROR, e.getClass().getSimpleName());
            }
        }
    }
}
