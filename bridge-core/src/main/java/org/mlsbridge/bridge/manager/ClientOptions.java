package org.mlsbridge.bridge.manager;

import java.time.Duration;
import java.util.Objects;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.GroupConfig;

/**
 * Local policy of a member client or bot.
 *
 * @param keyPackagePool one-time KeyPackages kept published (topped up when half are used)
 * @param maxCommitDelay members commit pending proposals after a random delay in [0, this], so
 *     that usually one commits and the others just follow
 */
public record ClientOptions(CipherSuite suite, GroupConfig groupConfig, int keyPackagePool, Duration maxCommitDelay) {
    public static final ClientOptions DEFAULT = new ClientOptions(
            CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, GroupConfig.DEFAULT, 4, Duration.ofMillis(300));

    public ClientOptions {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(groupConfig, "groupConfig");
        Objects.requireNonNull(maxCommitDelay, "maxCommitDelay");
        if (keyPackagePool < 1) {
            throw new IllegalArgumentException("keyPackagePool must be positive");
        }
    }

    public ClientOptions withMaxCommitDelay(Duration d) {
        return new ClientOptions(suite, groupConfig, keyPackagePool, d);
    }
}
