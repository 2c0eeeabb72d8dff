package org.mlsbridge.mls.group;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.HpkeKeyPair;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.Extensions;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.LeafNode;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.RequiredCapabilities;
import org.mlsbridge.mls.schedule.EpochSecrets;
import org.mlsbridge.mls.schedule.KeySchedule;
import org.mlsbridge.mls.schedule.TranscriptHashes;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreePrivateKeys;
import org.mlsbridge.mls.validation.LeafNodeValidator;

/**
 * Creates a one-member group (RFC 9420 §11): epoch 0, a tree holding only the creator's leaf,
 * the chosen GroupContext extensions (required_capabilities, external_senders, ...), an empty
 * confirmed transcript hash, and epoch secrets from a fresh random epoch_secret. The interim
 * transcript hash follows from the confirmation tag over the empty hash (§8.2).
 */
public final class GroupCreator {
    private final GroupConfig config;
    private final SecureRandom random;

    public GroupCreator(GroupConfig config, SecureRandom random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param groupId the new group's id; callers should pick it at random so it is unique
     * @param extensions the GroupContext extensions of epoch 0
     * @param capabilities the creator leaf's capabilities; by default those of a KeyPackage plus
     *     everything the group's required_capabilities and extensions ask for
     * @throws ValidationException the creator's leaf does not support the extensions
     */
    public GroupState create(SignatureIdentity creator, Bytes groupId, List<Extension> extensions,
            Optional<Capabilities> capabilities) throws MlsException {
        SuiteCrypto crypto = config.crypto().suite(creator.cipherSuite());
        Capabilities caps = capabilities.isPresent() ? capabilities.get() : capabilitiesFor(creator, extensions);
        KeyPackageBundle bundle = KeyPackageBuilder.forIdentity(creator).cryptoProvider(config.crypto())
                .clock(config.clock()).capabilities(caps).build();
        bundle.initPrivateKey().destroy();
        LeafNode leaf = bundle.keyPackage().leafNode();
        RatchetTree tree = RatchetTree.create(crypto, leaf);
        GroupContext context = new GroupContext(GroupContext.MLS10, creator.cipherSuite(), groupId, 0,
                tree.treeHash(), Bytes.EMPTY, extensions);
        new LeafNodeValidator(config.credentials(), config.clock()).validateTreeLeaf(leaf, LeafIndex.of(0), context, tree);
        EpochSecrets secrets = new KeySchedule(crypto).fromEpochSecret(Secret.wrap(randomBytes(crypto.hashLength())));
        Bytes tag = TranscriptHashes.confirmationTag(crypto, secrets.confirmationKey(), Bytes.EMPTY);
        TreePrivateKeys keys = TreePrivateKeys.ofLeaf(LeafIndex.of(0),
                new HpkeKeyPair(bundle.encryptionPrivateKey(), leaf.encryptionKey()));
        return EpochSuccession.initial(crypto, context, tree, LeafIndex.of(0), keys,
                Secret.wrap(creator.signaturePrivateKey().copy()), secrets, tag, config);
    }

    /** Default capabilities widened by what the group context requires or uses. */
    static Capabilities capabilitiesFor(SignatureIdentity identity, List<Extension> groupExtensions)
            throws MlsException {
        List<Integer> inUse = new ArrayList<>();
        groupExtensions.forEach(e -> inUse.add(e.type()));
        Capabilities base = KeyPackageBuilder.defaultCapabilities(identity.credential().type(), inUse);
        Optional<Extension> required = Extensions.find(groupExtensions, Extension.REQUIRED_CAPABILITIES);
        if (required.isEmpty()) {
            return base;
        }
        RequiredCapabilities r = RequiredCapabilities.fromExtension(required.get());
        return new Capabilities(base.versions(), base.cipherSuites(), union(base.extensions(), r.extensions(), KeyPackageBuilder::isDefaultExtension),
                union(base.proposals(), r.proposals(), t -> t >= Proposal.ADD && t <= Proposal.GROUP_CONTEXT_EXTENSIONS), union(base.credentials(), r.credentials(), t -> false));
    }

    /** {@code a} plus the entries of {@code b} that are not implied ({@code isDefault}). */
    private static List<Integer> union(List<Integer> a, List<Integer> b, IntPredicate isDefault) {
        Set<Integer> out = new LinkedHashSet<>(a);
        for (int t : b) {
            if (!isDefault.test(t)) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
