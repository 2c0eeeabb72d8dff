package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.message.Lifetime;

/**
 * The creator's leaf gets its lifetime from {@link GroupConfig#clock()}, like every other
 * lifetime the group deals with: with a fixed clock, creating the same group twice gives the same
 * leaf (reproducible test fixtures), and a clock the application corrects is not bypassed.
 */
class GroupCreatorClockTest {
    @Test
    void theCreatorsLifetimeComesFromTheConfiguredClock() throws MlsException {
        Instant now = Instant.parse("2031-05-06T07:08:09Z");
        GroupConfig config = GroupConfig.DEFAULT.withClock(Clock.fixed(now, ZoneOffset.UTC));
        GroupState s = new GroupCreator(config, new SecureRandom()).create(TestCommitter.identity("alice").signature(),
                Bytes.wrap("clock".getBytes(StandardCharsets.US_ASCII)), List.of(), Optional.empty());
        Lifetime lifetime = s.ownLeafNode().lifetime().orElseThrow();
        assertThat(lifetime.notBefore()).isEqualTo(now.getEpochSecond() - KeyPackageBuilder.CLOCK_SKEW.toSeconds());
        assertThat(lifetime.notAfter()).isEqualTo(now.getEpochSecond()
                + KeyPackageBuilder.DEFAULT_LIFETIME.toSeconds());
    }
}
