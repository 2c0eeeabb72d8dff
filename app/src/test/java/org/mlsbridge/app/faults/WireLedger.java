package org.mlsbridge.app.faults;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.SenderData;
import org.mlsbridge.mls.framing.SenderDataAad;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PastEpoch;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MessageHeader;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.secrets.KeyAndNonce;
import org.mlsbridge.mls.secrets.SenderDataKeys;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * Every MLS message that crossed the wire of one room (as the server delivered it to a member
 * that is never killed), and the proof that no sender reused a key: for each PrivateMessage the
 * sender data (leaf, generation) is opened with the epoch's sender_data_secret (RFC 9420 §6.3.2),
 * taken from the observing member's own state while that epoch is in its window. Two different
 * ciphertexts with the same (epoch, leaf, content type, generation) used one key and nonce twice.
 * A generation missing between two that crossed the wire means a message was encrypted and its
 * state kept, but it never went out: a lost message. Identical bytes under two server ids are the
 * same message sent twice (a resend the server did not de-duplicate), counted apart.
 */
final class WireLedger {
    /** Which key of the secret tree a PrivateMessage used. */
    record KeyUse(long epoch, int leaf, ContentType type, long generation) {
    }

    private final Map<String, Bytes> byServerId = new LinkedHashMap<>();
    private final Map<Bytes, String> firstServerIdOf = new HashMap<>();
    private final List<Bytes> unopened = new ArrayList<>();
    private final Map<Long, Secret> senderDataSecrets = new HashMap<>();
    private final Map<KeyUse, Bytes> ciphertextOf = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private SuiteCrypto crypto;
    private Bytes groupId;
    private int privateMessages;
    private int publicMessages;
    private int resentCopies;

    /** A room message the server delivered (the same server id again is the same delivery). */
    synchronized void delivered(String serverId, Bytes payload) {
        if (byServerId.putIfAbsent(serverId, payload) != null) {
            return;
        }
        String earlier = firstServerIdOf.putIfAbsent(payload, serverId);
        if (earlier != null) {
            resentCopies++;
            return;
        }
        MessageHeader h;
        try {
            h = MessageHeader.peek(payload);
        } catch (MlsException e) {
            return; // a GroupInfo or Welcome: no group header, no key of the secret tree
        }
        if (groupId == null) {
            groupId = h.groupId();
        } else if (!groupId.equals(h.groupId())) {
            problems.add("message " + serverId + " of another group");
            return;
        }
        if (h.wireFormat() == WireFormat.PRIVATE_MESSAGE) {
            privateMessages++;
            unopened.add(payload);
        } else {
            publicMessages++;
        }
    }

    /** The group's id, once a group message went by. */
    synchronized Optional<Bytes> groupId() {
        return Optional.ofNullable(groupId);
    }

    /** Takes the sender-data secrets from the observer's stored group (once a group message named the group). */
    void learnFrom(MlsStorage storage, GroupConfig config) {
        Optional<Bytes> gid = groupId();
        if (gid.isEmpty()) {
            return;
        }
        MlsGroup.load(storage, gid.get(), config, PskLookup.fromStorage(storage)).ifPresent(g -> learn(g.state()));
    }

    /** Takes the sender-data secrets the observer holds now (current and past epochs), then opens what it can. */
    synchronized void learn(GroupState state) {
        crypto = state.crypto();
        senderDataSecrets.putIfAbsent(state.epoch(), Secret.of(state.epochSecrets().senderDataSecret().copy()));
        for (PastEpoch p : state.pastEpochs()) {
            senderDataSecrets.putIfAbsent(p.context().epoch(), Secret.of(p.senderDataSecret().copy()));
        }
        List<Bytes> still = new ArrayList<>();
        for (Bytes payload : unopened) {
            if (!open(payload)) {
                still.add(payload);
            }
        }
        unopened.clear();
        unopened.addAll(still);
    }

    private boolean open(Bytes payload) {
        PrivateMessage m;
        try {
            m = (PrivateMessage) MlsMessage.decode(payload).body();
        } catch (MlsException e) {
            problems.add("undecodable PrivateMessage: " + e.getMessage());
            return true;
        }
        Secret secret = senderDataSecrets.get(m.epoch());
        if (secret == null) {
            return false;
        }
        byte[] aad = new SenderDataAad(m.groupId(), m.epoch(), m.contentType()).toByteArray();
        KeyAndNonce keys = SenderDataKeys.derive(crypto, secret, m.ciphertext().toByteArray());
        SenderData sd;
        try {
            byte[] plain = crypto.aeadOpen(keys.key().copy(), keys.nonce().copy(), aad,
                    m.encryptedSenderData().toByteArray());
            sd = TlsReader.decode(plain, SenderData::readFrom);
        } catch (MlsException e) {
            problems.add("sender data of a PrivateMessage of epoch " + m.epoch() + " does not open: " + e.getMessage());
            return true;
        } finally {
            keys.destroy();
        }
        KeyUse use = new KeyUse(m.epoch(), sd.leafIndex().value(), m.contentType(), sd.generation());
        Bytes digest = sha256(payload);
        Bytes before = ciphertextOf.putIfAbsent(use, digest);
        if (before != null && !before.equals(digest)) {
            problems.add("key reused: " + use + " encrypted two different messages");
        }
        return true;
    }

    /** PrivateMessages seen. */
    synchronized int privateMessages() {
        return privateMessages;
    }

    synchronized int publicMessages() {
        return publicMessages;
    }

    /** The same bytes delivered again under another server id. */
    synchronized int resentCopies() {
        return resentCopies;
    }

    /** Distinct keys used (one per PrivateMessage, unless a key was reused). */
    synchronized int keysUsed() {
        return ciphertextOf.size();
    }

    /**
     * Everything wrong: reused keys, PrivateMessages that could not be opened (their epoch's secret
     * was never seen: the check could not be made, which counts as a failure), and gaps in a
     * sender's generations within an epoch (a message encrypted and never sent).
     */
    synchronized List<String> problems() {
        List<String> out = new ArrayList<>(problems);
        if (!unopened.isEmpty()) {
            out.add(unopened.size() + " PrivateMessages of epochs whose sender-data secret the observer never held: "
                    + "key reuse not checked for them");
        }
        Map<String, TreeSet<Long>> generations = new TreeMap<>();
        for (KeyUse u : ciphertextOf.keySet()) {
            generations.computeIfAbsent("epoch " + u.epoch() + " leaf " + u.leaf() + " " + u.type(),
                    k -> new TreeSet<>()).add(u.generation());
        }
        for (Map.Entry<String, TreeSet<Long>> e : generations.entrySet()) {
            TreeSet<Long> g = e.getValue();
            if (g.first() != 0 || g.last() != g.size() - 1) {
                out.add("generations of " + e.getKey() + " have a gap (a message encrypted but never sent): " + g);
            }
        }
        return out;
    }

    @Override
    public synchronized String toString() {
        return "WireLedger[" + byServerId.size() + " deliveries, " + privateMessages + " PrivateMessages, "
                + publicMessages + " PublicMessages, " + ciphertextOf.size() + " keys used, " + resentCopies
                + " resent copies]";
    }

    private static Bytes sha256(Bytes b) {
        try {
            return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(b.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
