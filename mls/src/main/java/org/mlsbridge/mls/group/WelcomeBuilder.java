package org.mlsbridge.mls.group;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CryptoException;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.WelcomeProtection;
import org.mlsbridge.mls.message.EncryptedGroupSecrets;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.GroupSecrets;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.PreSharedKeyId;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.schedule.EpochTransition;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.mls.tree.PreparedPath;

/**
 * The Welcome of a commit that adds members (RFC 9420 §12.4.3.1): the GroupInfo encrypted under
 * the welcome key, and for each new member, to its KeyPackage's init key, the joiner_secret,
 * the path_secret of the lowest node of the committer's path above it (when the commit has a
 * path), and the commit's PSK ids.
 */
final class WelcomeBuilder {
    private WelcomeBuilder() {
    }

    /** One new member: its KeyPackage and the leaf the commit gave it. */
    record Joiner(KeyPackage keyPackage, LeafIndex leaf) {
    }

    static Optional<Welcome> build(SuiteCrypto crypto, List<Joiner> joiners, GroupInfo info, EpochTransition transition,
            Optional<PreparedPath> path, List<PreSharedKeyId> psks) throws CryptoException {
        if (joiners.isEmpty()) {
            return Optional.empty();
        }
        WelcomeProtection protection = new WelcomeProtection(crypto);
        Bytes encryptedInfo = protection.sealGroupInfo(info, transition.welcomeKey());
        // One HPKE seal per new member: independent, so a large Welcome uses every core
        // (stateless crypto, read-only inputs); the order of the secrets is kept.
        IntStream indices = IntStream.range(0, joiners.size());
        if (joiners.size() >= PARALLEL_FROM) {
            indices = indices.parallel();
        }
        List<EncryptedGroupSecrets> secrets;
        try {
            secrets = indices.mapToObj(i -> seal(crypto, protection, joiners.get(i), encryptedInfo, transition, path,
                    psks)).toList();
        } catch (UncheckedCrypto e) {
            throw e.cause;
        }
        return Optional.of(new Welcome(crypto.suite(), secrets, encryptedInfo));
    }

    private static final int PARALLEL_FROM = 64;

    private static EncryptedGroupSecrets seal(SuiteCrypto crypto, WelcomeProtection protection, Joiner j,
            Bytes encryptedInfo, EpochTransition transition, Optional<PreparedPath> path, List<PreSharedKeyId> psks) {
        Optional<Secret> pathSecret = path.flatMap(p -> p.pathSecretFor(j.leaf()));
        GroupSecrets gs = new GroupSecrets(transition.joinerSecret(), pathSecret, psks);
        KeyPackage kp = j.keyPackage();
        try {
            return protection.sealGroupSecrets(crypto.makeKeyPackageRef(kp.toByteArray()), kp.initKey(),
                    encryptedInfo, gs);
        } catch (CryptoException e) {
            throw new UncheckedCrypto(e);
        }
    }

    /** Carries a CryptoException out of a stream. */
    private static final class UncheckedCrypto extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient CryptoException cause;

        UncheckedCrypto(CryptoException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
