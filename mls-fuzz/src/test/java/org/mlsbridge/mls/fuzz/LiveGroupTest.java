package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.Welcome;

/**
 * The fixture the fuzz targets stand on: the same group in every JVM (else committed findings
 * would not reproduce), and seeds that really reach the deep paths they are meant to start from.
 */
class LiveGroupTest {
    @Test
    void theGroupIsTheSameInEveryRun() {
        // Pinned: a change here means stored findings against the live group no longer reproduce.
        assertThat(LiveGroup.get().bob().epochAuthenticator()).isEqualTo(Bytes.fromHex(
                "e323d59edbd33e50907a9442a193b05f6850c9d0593ebc838200979cc85309d0"));
    }

    @Test
    void honestSeedsAreAccepted() throws MlsException {
        LiveGroup live = LiveGroup.get();
        MlsGroup bob = live.bob();
        for (int i = 0; i < 8; i++) {
            bob.process(live.honest.get(i));
        }
        live.assertBobStillWorks(bob);
    }

    @Test
    void daveJoinsFromTheSeedWelcome() throws MlsException {
        LiveGroup live = LiveGroup.get();
        MlsGroup dave = MlsGroup.join((Welcome) live.welcomeForDave.body(), live.daveKeys(), live.config,
                PskLookup.none());
        assertThat(dave.epoch()).isEqualTo(2);
    }

    @Test
    void anExternalJoinFromTheSeedGroupInfoIsAccepted() throws MlsException {
        LiveGroup live = LiveGroup.get();
        ExternalJoin join = MlsGroup.joinByExternalCommit(live.groupInfo, Optional.empty(), live.dave,
                Optional.empty(), Bytes.EMPTY, live.config, PskLookup.none());
        MlsGroup bob = live.bob();
        bob.merge((StagedCommit) bob.process(join.commit()));
        assertThat(bob.epochAuthenticator()).isEqualTo(join.group().epochAuthenticator());
    }
}
