package org.mlsbridge.vectors.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.UpdatePath;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.NodeIndex;
import org.mlsbridge.mls.tree.PreparedPath;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.ReceivedPath;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.tree.TreePrivateKeys;
import org.mlsbridge.mls.tree.TreeValidator;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;

/**
 * treekem.json, both halves: every member with private state processes each given UpdatePath
 * (path secret, commit secret, tree hash after); then each of them commits a fresh UpdatePath
 * that every other one must process to the same commit secret.
 */
public final class TreeKemChecker implements VectorChecker {
    private final SecureRandom random = new SecureRandom();

    @Override
    public String kind() {
        return "treekem";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "ratchet_tree", "leaves_private", "update_paths");
    }

    private record Member(LeafIndex leaf, TreePrivateKeys keys, Secret signatureKey) {
    }

    @Override
    public void check(JsonNode c) throws Exception {
        SuiteCrypto crypto = TreeVectors.crypto(c);
        Bytes groupId = Json.bytes(c, "group_id");
        long epoch = Json.number(c, "epoch");
        Bytes confirmed = Json.bytes(c, "confirmed_transcript_hash");
        RatchetTree tree = TreeVectors.tree(crypto, c, "ratchet_tree");
        TreeValidator.checkUniqueKeys(tree);
        TreeValidator.verifyParentHashes(tree);
        TreeValidator.verifyLeafSignatures(tree, groupId);

        Map<LeafIndex, Member> members = new LinkedHashMap<>();
        for (JsonNode p : Json.field(c, "leaves_private")) {
            LeafIndex leaf = LeafIndex.of((int) Json.number(p, "index"));
            LeafNode node = tree.leaf(leaf).orElseThrow(() -> new IllegalArgumentException(leaf + " is blank"));
            Secret encryptionPriv = Secret.wrap(Json.hex(p, "encryption_priv"));
            Check.bytes("encryption key of " + leaf, node.encryptionKey(), crypto.hpkePublicKey(encryptionPriv));
            Secret signaturePriv = Secret.wrap(Json.hex(p, "signature_priv"));
            Check.bytes("signature key of " + leaf, node.signatureKey(), crypto.signaturePublicKey(signaturePriv));
            Map<NodeIndex, Secret> pathSecrets = new LinkedHashMap<>();
            for (JsonNode s : Json.field(p, "path_secrets")) {
                pathSecrets.put(NodeIndex.of((int) Json.number(s, "node")), Secret.wrap(Json.hex(s, "path_secret")));
            }
            TreePrivateKeys keys = TreeKem.keysFromPathSecrets(tree, pathSecrets,
                    TreePrivateKeys.ofLeaf(leaf, new HpkeKeyPair(encryptionPriv, node.encryptionKey())));
            members.put(leaf, new Member(leaf, keys, signaturePriv));
        }

        for (JsonNode u : Json.field(c, "update_paths")) {
            LeafIndex sender = LeafIndex.of((int) Json.number(u, "sender"));
            UpdatePath path = TlsReader.decode(Json.hex(u, "update_path"), UpdatePath::readFrom);
            RatchetTree merged = TreeKem.mergePath(tree, sender, path);
            Check.bytes("tree_hash_after for sender " + sender.value(), Json.hex(u, "tree_hash_after"),
                    merged.treeHash());
            TreeValidator.verifyParentHashes(merged);
            TreeValidator.verifyLeafSignature(crypto, path.leafNode(), groupId, sender);
            byte[] context = context(c, crypto, groupId, epoch, confirmed, merged);
            JsonNode expectedSecrets = Json.field(u, "path_secrets");
            for (Member m : members.values()) {
                if (m.leaf().equals(sender)) {
                    continue;
                }
                ReceivedPath received = TreeKem.decryptPath(merged, sender, path, m.leaf(), m.keys(), context, Set.of());
                JsonNode expected = expectedSecrets.get(m.leaf().value());
                Check.isTrue("path_secrets[" + m.leaf().value() + "] is missing", expected != null && !expected.isNull());
                Check.bytes("path secret of " + m.leaf() + " from sender " + sender.value(),
                        Bytes.fromHex(expected.asText()), Bytes.wrap(received.pathSecret().copy()));
                Check.bytes("commit_secret at " + m.leaf() + " from sender " + sender.value(),
                        Json.bytes(u, "commit_secret"), Bytes.wrap(received.commitSecret().copy()));
            }
        }

        for (Member s : members.values()) {
            PreparedPath prepared = TreeKem.preparePath(tree, s.leaf(), random, TreeKem.resigning(crypto,
                    tree.leaf(s.leaf()).orElseThrow(), s.signatureKey(), groupId, s.leaf()));
            byte[] context = context(c, crypto, groupId, epoch, confirmed, prepared.tree());
            byte[] wire = prepared.encrypt(context, Set.of()).toByteArray();
            UpdatePath path = TlsReader.decode(wire, UpdatePath::readFrom);
            RatchetTree merged = TreeKem.mergePath(tree, s.leaf(), path);
            Check.bytes("tree hash after a new path from " + s.leaf(), prepared.tree().treeHash(), merged.treeHash());
            TreeValidator.verifyParentHashes(merged);
            TreeValidator.verifyLeafSignature(crypto, path.leafNode(), groupId, s.leaf());
            for (Member m : members.values()) {
                if (m.leaf().equals(s.leaf())) {
                    continue;
                }
                ReceivedPath received = TreeKem.decryptPath(merged, s.leaf(), path, m.leaf(), m.keys(), context,
                        Set.of());
                Check.bytes("commit secret at " + m.leaf() + " of a new path from " + s.leaf(),
                        Bytes.wrap(prepared.commitSecret().copy()), Bytes.wrap(received.commitSecret().copy()));
            }
        }
    }

    private static byte[] context(JsonNode c, SuiteCrypto crypto, Bytes groupId, long epoch, Bytes confirmed,
            RatchetTree tree) {
        return new GroupContext(GroupContext.MLS10, crypto.suite(), groupId, epoch, tree.treeHash(), confirmed,
                List.of()).toByteArray();
    }
}
