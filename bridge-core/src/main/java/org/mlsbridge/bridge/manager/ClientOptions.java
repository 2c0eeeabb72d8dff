package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.Objects;
import org.mlsbridge.bridge.trust.AuthenticationService;
import org.mlsbridge.bridge.trust.DefaultAuthenticationService;
import org.mlsbridge.bridge.trust.RoomPolicies;
import org.mlsbridge.bridge.trust.RoomPolicy;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.GroupConfig;

/**
 * Local policy of a member client or bot.
 *
 * @param keyPackagePool one-time KeyPackages kept published (topped up when half are used)
 * @param maxCommitDelay members commit pending proposals after a random delay in [0, this], so
 *     that usually one commits and the others just follow
 * @param policies each room's policy (who may join by external commit, which proposals, windows,
 *     buffer limits); every member of a room must use the same one
 * @param authentication binds credentials to network accounts
 * @param dedupRetention how long handled message ids are remembered; older replays are refused
 *     by MLS itself (ended epochs, used-up keys), so pruning lets none through
 */
public record ClientOptions(CipherSuite suite, GroupConfig groupConfig, int keyPackagePool, Duration maxCommitDelay,
        RoomPolicies policies, AuthenticationService authentication, Duration dedupRetention) {
    public static final ClientOptions DEFAULT = new ClientOptions(
            CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, GroupConfig.DEFAULT, 4, Duration.ofMillis(300));

    public ClientOptions {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(groupConfig, "groupConfig");
        Objects.requireNonNull(maxCommitDelay, "maxCommitDelay");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(dedupRetention, "dedupRetention");
        if (keyPackagePool < 1) {
            throw new IllegalArgumentException("keyPackagePool must be positive");
        }
    }

    /** The default room policy, the default authentication service, message ids kept for a week. */
    public ClientOptions(CipherSuite suite, GroupConfig groupConfig, int keyPackagePool, Duration maxCommitDelay) {
        this(suite, groupConfig, keyPackagePool, maxCommitDelay, RoomPolicies.uniform(RoomPolicy.DEFAULT),
                new DefaultAuthenticationService(), Duration.ofDays(7));
    }

    public ClientOptions withMaxCommitDelay(Duration d) {
        return new ClientOptions(suite, groupConfig, keyPackagePool, d, policies, authentication, dedupRetention);
    }

    public ClientOptions withPolicies(RoomPolicies p) {
        return new ClientOptions(suite, groupConfig, keyPackagePool, maxCommitDelay, p, authentication,
                dedupRetention);
    }

    public ClientOptions withAuthentication(AuthenticationService a) {
        return new ClientOptions(suite, groupConfig, keyPackagePool, maxCommitDelay, policies, a, dedupRetention);
    }

    public ClientOptions withDedupRetention(Duration d) {
        return new ClientOptions(suite, groupConfig, keyPackagePool, maxCommitDelay, policies, authentication, d);
    }
}
