package org.mlsbridge.mls.group;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.tree.NodeIndex;

/**
 * What a member remembers of what it sent, so that the delivery service's echo is recognised
 * rather than processed: the pending commit (merged when it comes back), a bounded window of
 * its other sent messages, and the private keys of its Update proposals not yet committed.
 */
final class OwnMessages {
    /** Enough for a burst of messages between two reads of the room; older echoes are long overdue. */
    static final int SENT_WINDOW = 4096;

    private record Pending(Bytes message, Bytes key, StagedCommit staged) {
    }

    /** A sent message: what it was, and a digest of its exact bytes. */
    private record Sent(OwnMessage message, Bytes digest) {
    }

    private Pending pending;
    private final Map<Bytes, Sent> sent = new LinkedHashMap<>();
    private final Map<Bytes, HpkeKeyPair> updateKeys = new LinkedHashMap<>();

    Optional<StagedCommit> pendingCommit() {
        return Optional.ofNullable(pending).map(Pending::staged);
    }

    void setPending(MlsMessage commit, StagedCommit staged) {
        pending = new Pending(Bytes.wrap(commit.toByteArray()), key(commit).orElseThrow(), staged);
    }

    /**
     * Forgets the pending commit; unless it is {@code kept} (being merged), wipes the secrets of
     * the epoch it would have started. Its echo, if it comes later, is then an {@link OwnMessage}.
     */
    void clearPending(Optional<StagedCommit> kept, GroupState current) {
        if (pending == null) {
            return;
        }
        StagedCommit staged = pending.staged();
        remember(pending.key(), new Sent(new OwnMessage(ContentType.COMMIT, staged.epoch()),
                digest(pending.message().toByteArray())));
        pending = null;
        if (kept.isPresent() && kept.get() == staged) {
            return;
        }
        staged.next().ifPresent(next -> wipeUnmerged(next, current));
    }

    void recordSent(MlsMessage message, ContentType type, long epoch) {
        remember(key(message).orElseThrow(), new Sent(new OwnMessage(type, epoch), digest(message.toByteArray())));
    }

    private void remember(Bytes key, Sent message) {
        sent.put(key, message);
        Iterator<Bytes> it = sent.keySet().iterator();
        while (sent.size() > SENT_WINDOW && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /**
     * The pending commit or an {@link OwnMessage} if {@code message} is exactly one this member
     * sent; a tampered copy goes on to be processed (and rejected) like any other message.
     */
    Optional<ProcessedMessage> recognise(MlsMessage message) {
        Optional<Bytes> key = key(message);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (pending != null && pending.key().equals(key.get())
                && pending.message().equals(Bytes.wrap(message.toByteArray()))) {
            return Optional.of(pending.staged());
        }
        Sent own = sent.get(key.get());
        if (own == null || !own.digest().equals(digest(message.toByteArray()))) {
            return Optional.empty();
        }
        return Optional.of(own.message());
    }

    private static Bytes digest(byte[] encoded) {
        try {
            return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * What finds our candidate messages without hashing each incoming one: a PublicMessage's
     * signature, a PrivateMessage's encrypted sender data (unique per message: it is sealed
     * under a key and nonce derived from the ciphertext, §6.3.2).
     */
    private static Optional<Bytes> key(MlsMessage message) {
        return switch (message.body()) {
            case PublicMessage pm -> Optional.of(pm.auth().signature());
            case PrivateMessage pm -> Optional.of(pm.encryptedSenderData());
            default -> Optional.empty();
        };
    }

    void addUpdateKey(HpkeKeyPair pair) {
        updateKeys.put(pair.publicKey(), pair);
    }

    Optional<HpkeKeyPair> updateKey(Bytes publicKey) {
        return Optional.ofNullable(updateKeys.get(publicKey));
    }

    boolean hasUpdateKeys() {
        return !updateKeys.isEmpty();
    }

    /** A new epoch began: the Update keys of the old one are useless unless {@code used} (wiped otherwise). */
    void clearUpdateKeys(Optional<Bytes> used) {
        updateKeys.forEach((pub, pair) -> {
            if (used.isEmpty() || !used.get().equals(pub)) {
                pair.privateKey().destroy();
            }
        });
        updateKeys.clear();
    }

    /** Wipes what a never-merged successor state created (shared keys of the current state survive). */
    private static void wipeUnmerged(GroupState next, GroupState current) {
        next.epochSecrets().destroy();
        next.secretTree().destroy();
        if (!next.pastEpochs().isEmpty()) {
            next.pastEpochs().get(0).senderDataSecret().destroy();
        }
        if (!next.resumptionPsks().isEmpty()) {
            next.resumptionPsks().get(0).psk().destroy();
        }
        for (NodeIndex n : next.privateKeys().nodes()) {
            HpkeKeyPair pair = next.privateKeys().get(n).orElseThrow();
            boolean shared = current.privateKeys().get(n).filter(p -> p.privateKey() == pair.privateKey()).isPresent();
            if (!shared) {
                pair.privateKey().destroy();
            }
        }
    }
}
