package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.WelcomeProtection;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Node;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.JoinerKeys;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.ReceivedPath;
import org.mlsbridge.mls.tree.TreeKem;
import org.mlsbridge.mls.tree.TreePrivateKeys;

/**
 * Joining a group from a Welcome (RFC 9420 §12.4.3.1): open the GroupSecrets with the
 * KeyPackage's init key, resolve the PSKs, open the GroupInfo, take the tree from its
 * ratchet_tree extension or from the caller, verify the GroupInfo signature and the tree, find
 * our own leaf, derive the path keys from path_secret, run the key schedule and check the
 * confirmation tag.
 */
public final class WelcomeJoiner {
    private final GroupConfig config;
    private final PskLookup psks;

    public WelcomeJoiner(GroupConfig config, PskLookup psks) {
        this.config = config;
        this.psks = psks;
    }

    /**
     * @param outOfBandTree the ratchet tree when the GroupInfo has no ratchet_tree extension
     *     (§12.4.3.3), nodes in array order
     */
    public GroupState join(Welcome welcome, JoinKeys keys, Optional<List<Optional<Node>>> outOfBandTree)
            throws MlsException {
        KeyPackage kp = keys.keyPackage();
        SuiteCrypto crypto = config.crypto().suite(kp.cipherSuite());
        WelcomeProtection protection = new WelcomeProtection(crypto);
        GroupSecrets secrets = protection.openGroupSecrets(welcome, crypto.makeKeyPackageRef(kp.toByteArray()),
                keys.initPrivateKey());
        Secret pskSecret = PskResolver.resolveForJoin(crypto, secrets.psks(), psks);
        JoinerKeys joinerKeys = new KeySchedule(crypto).fromJoinerSecret(secrets.joinerSecret(), pskSecret);
        pskSecret.destroy();
        try {
            GroupInfo info = protection.openGroupInfo(welcome, joinerKeys);
            RatchetTree tree = JoiningTree.verified(crypto, info, outOfBandTree, config);
            LeafIndex me = ownLeaf(tree, kp.leafNode());
            TreePrivateKeys privateKeys = privateKeys(crypto, tree, info.signer(), me, keys, secrets.pathSecret());
            EpochSecrets epochSecrets = joinerKeys.epochSecrets(info.groupContext());
            try {
                protection.verifyConfirmationTag(info, epochSecrets.confirmationKey());
            } catch (ValidationException e) {
                epochSecrets.destroy();
                throw e;
            }
            return EpochSuccession.initial(crypto, info.groupContext(), tree, me, privateKeys,
                    keys.signaturePrivateKey(), epochSecrets, info.confirmationTag(), config);
        } finally {
            joinerKeys.destroy();
            secrets.joinerSecret().destroy();
            secrets.pathSecret().ifPresent(Secret::destroy);
        }
    }

    /** §12.4.3.1: the leaf that holds exactly our KeyPackage's LeafNode. */
    private static LeafIndex ownLeaf(RatchetTree tree, LeafNode ours) throws ValidationException {
        for (LeafIndex i : tree.members()) {
            if (tree.leaf(i).orElseThrow().equals(ours)) {
                return i;
            }
        }
        throw new ValidationException("RFC 9420 §12.4.3.1: our KeyPackage's leaf is not in the tree");
    }

    private static TreePrivateKeys privateKeys(SuiteCrypto crypto, RatchetTree tree, LeafIndex signer, LeafIndex me,
            JoinKeys keys, Optional<Secret> pathSecret) throws ValidationException, CryptoException {
        Bytes leafKey = keys.keyPackage().leafNode().encryptionKey();
        if (!crypto.hpkePublicKey(keys.encryptionPrivateKey()).equals(leafKey)) {
            throw new IllegalArgumentException("the encryption private key does not belong to the KeyPackage's leaf");
        }
        TreePrivateKeys own = TreePrivateKeys.ofLeaf(me, new HpkeKeyPair(keys.encryptionPrivateKey(), leafKey));
        if (pathSecret.isEmpty()) {
            return own;
        }
        if (signer.equals(me)) {
            throw new ValidationException("RFC 9420 §12.4.3.1: the GroupInfo signer cannot be the new member");
        }
        ReceivedPath received = TreeKem.fromPathSecret(tree, signer, me, pathSecret.get(), own);
        received.commitSecret().destroy();
        return received.privateKeys();
    }
}
