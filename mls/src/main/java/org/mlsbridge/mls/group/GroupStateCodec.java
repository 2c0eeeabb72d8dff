package org.mlsbridge.mls.group;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.storage.MlsStorage;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreePrivateKeys;

/**
 * A whole {@link GroupState} as bytes, for storage: context, tree, own leaf and private keys,
 * signature key, epoch secrets, secret tree (ratchet positions and retained keys), transcript
 * hash, cached proposals, the past-epoch window and resumption PSKs.
 *
 * <p>The output holds secrets in the clear; the storage layer encrypts it. The format starts
 * with a version number ({@value #VERSION}); {@link #decode} rejects other versions and any
 * malformed or inconsistent input with a {@link DecodeException} only.
 */
public final class GroupStateCodec {
    /** Format version; bump when the layout changes and keep reading the old ones. */
    public static final int VERSION = 1;

    private GroupStateCodec() {
    }

    /**
     * Encodes {@code s} into {@code storage} (in its atomic unit if the caller opened one) and
     * wipes the encoding, which holds the epoch's secrets in the clear, once the storage has
     * sealed or copied it ({@link MlsStorage#saveGroupState} keeps no reference).
     */
    public static void save(MlsStorage storage, GroupState s) {
        byte[] encoded = encode(s);
        try {
            storage.saveGroupState(s.groupId(), encoded);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * The state blob, secrets included: hand it to storage and then zero it ({@link #save} does
     * both). The writer's own buffers are zeroed here.
     */
    public static byte[] encode(GroupState s) {
        // Sized for the trees up front: growing the buffer copies (and wipes) it each time, and the
        // state is written after every message read.
        int trees = s.tree().extensionSize();
        for (PastEpoch p : s.pastEpochs()) {
            trees += p.tree().extensionSize();
        }
        TlsWriter w = new TlsWriter(trees + 4096);
        w.uint16(VERSION);
        s.context().writeTo(w);
        s.tree().writeExtensionTo(w);
        w.uint32(s.ownLeaf().value());
        w.vector(s.privateKeys().nodes(), (ww, n) -> {
            HpkeKeyPair pair = s.privateKeys().get(n).orElseThrow();
            ww.uint32(n.value());
            writeSecret(ww, pair.privateKey());
            ww.opaque(pair.publicKey());
        });
        writeSecret(w, s.signaturePrivateKey());
        w.vector(s.epochSecrets().all(), (ww, secret) -> {
            ww.bool(!secret.isDestroyed());
            if (!secret.isDestroyed()) {
                writeSecret(ww, secret);
            }
        });
        s.secretTree().writeTo(w);
        w.opaque(s.confirmationTag()).opaque(s.interimTranscriptHash());
        w.vector(s.proposals().values());
        w.vector(s.pastEpochs(), (ww, p) -> {
            p.context().writeTo(ww);
            p.tree().writeExtensionTo(ww);
            p.secretTree().writeTo(ww);
            writeSecret(ww, p.senderDataSecret());
        });
        w.vector(s.resumptionPsks(), (ww, p) -> {
            ww.uint64(p.epoch());
            writeSecret(ww, p.psk());
        });
        w.optional(s.pendingReInit(), (ww, r) -> r.writeBody(ww));
        return w.toByteArrayAndWipe();
    }

    /** Reads a state written by {@link #encode}; {@code config} supplies crypto and secret-tree limits. */
    public static GroupState decode(byte[] data, GroupConfig config) throws DecodeException {
        try {
            return TlsReader.decode(data, r -> read(r, config));
        } catch (RuntimeException e) {
            throw new DecodeException("corrupt group state: " + e.getMessage());
        }
    }

    private static GroupState read(TlsReader r, GroupConfig config) throws DecodeException {
        int version = r.uint16();
        if (version != VERSION) {
            throw new DecodeException("unsupported group state format version " + version);
        }
        GroupContext context = GroupContext.readFrom(r);
        SuiteCrypto crypto = config.crypto().suite(context.cipherSuite());
        RatchetTree tree = readTree(r, crypto);
        LeafIndex ownLeaf = LeafIndex.of(r.uint32AsInt("own leaf"));
        TreePrivateKeys keys = readPrivateKeys(r);
        Secret signatureKey = Secret.wrap(r.opaqueArray());
        EpochSecrets secrets = EpochSecrets.restore(crypto, readEpochSecrets(r));
        SecretTree secretTree = SecretTree.readFrom(r, crypto, config.secretTree());
        Bytes tag = r.opaque();
        Bytes interim = r.opaque();
        Map<Bytes, CachedProposal> proposals = new LinkedHashMap<>();
        for (CachedProposal p : r.vector(CachedProposal::readFrom)) {
            proposals.put(p.ref(), p);
        }
        List<PastEpoch> past = r.vector(rr -> new PastEpoch(GroupContext.readFrom(rr), readTree(rr, crypto),
                SecretTree.readFrom(rr, crypto, config.secretTree()), Secret.wrap(rr.opaqueArray())));
        List<EpochPsk> psks = r.vector(rr -> new EpochPsk(rr.uint64(), Secret.wrap(rr.opaqueArray())));
        Optional<Proposal.ReInit> reInit = r.optional(Proposal.ReInit::readBody);
        return new GroupState(crypto, context, tree, ownLeaf, keys, signatureKey, secrets, secretTree, tag, interim,
                proposals, past, psks, reInit);
    }

    /** Position of the encryption_secret in {@link EpochSecrets#all()}. */
    private static final int ENCRYPTION_SECRET = 1;

    /** The epoch secrets; only the encryption_secret may be stored as consumed (the secret tree replaced it). */
    private static List<Secret> readEpochSecrets(TlsReader r) throws DecodeException {
        List<Secret> stored = r.vector(rr -> rr.bool() ? Secret.wrap(rr.opaqueArray()) : destroyed());
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).isDestroyed() && i != ENCRYPTION_SECRET) {
                stored.forEach(Secret::destroy);
                throw new DecodeException("stored epoch secret " + i + " is marked consumed; only the "
                        + "encryption_secret may be");
            }
        }
        return stored;
    }

    private static RatchetTree readTree(TlsReader r, SuiteCrypto crypto) throws DecodeException {
        try {
            return RatchetTree.fromExtension(crypto, RatchetTreeExtension.readFrom(r));
        } catch (ValidationException e) {
            throw new DecodeException("stored ratchet tree is invalid: " + e.getMessage());
        }
    }

    private static TreePrivateKeys readPrivateKeys(TlsReader r) throws DecodeException {
        List<Map.Entry<NodeIndex, HpkeKeyPair>> entries = r.vector(rr -> Map.entry(
                NodeIndex.of(rr.uint32AsInt("private key node")),
                new HpkeKeyPair(Secret.wrap(rr.opaqueArray()), rr.opaque())));
        Map<NodeIndex, HpkeKeyPair> map = new java.util.HashMap<>();
        for (Map.Entry<NodeIndex, HpkeKeyPair> e : entries) {
            if (map.put(e.getKey(), e.getValue()) != null) {
                throw new DecodeException("private key for " + e.getKey() + " stored twice");
            }
        }
        return TreePrivateKeys.empty().withAll(map);
    }

    private static void writeSecret(TlsWriter w, Secret s) {
        byte[] v = s.copy();
        w.opaque(v);
        Arrays.fill(v, (byte) 0);
    }

    private static Secret destroyed() {
        Secret s = Secret.zero(0);
        s.destroy();
        return s;
    }
}
