package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.validation.KeyPackageValidator;
import org.mlsbridge.mls.validation.LeafNodeValidator;

/**
 * A claimed KeyPackage (§10.1): decoding, the standalone checks and the checks against the live
 * group either reject it with an {@link MlsException}, or it is one Alice may add, and Bob then
 * accepts her commit that adds it.
 */
class KeyPackageFuzzTest {
    static Stream<Arguments> seeds() {
        LiveGroup live = LiveGroup.get();
        return Stream.of(VectorSeeds.field("messages.json", "mls_key_package", 8),
                VectorSeeds.field("welcome.json", "key_package", 4),
                Stream.of(VectorSeeds.named("live group: Dave's KeyPackage",
                        MlsMessage.of(live.daveBundle.keyPackage()).toByteArray()))).flatMap(s -> s);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void validatedOrRejected(byte[] input) throws MlsException {
        LiveGroup live = LiveGroup.get();
        KeyPackage kp;
        try {
            if (!(MlsMessage.decode(input).body() instanceof KeyPackage k)) {
                return;
            }
            kp = k;
        } catch (MlsException undecodable) {
            return;
        }
        KeyPackageValidator validator = new KeyPackageValidator(
                new LeafNodeValidator(live.config.credentials(), live.config.clock()));
        MlsGroup bob = live.bob();
        GroupState s = bob.state();
        try {
            validator.validateStandalone(kp, live.config.crypto().suite(kp.cipherSuite()));
            validator.validate(kp, s.context(), s.tree(), Set.of());
        } catch (MlsException rejected) {
            return;
        }
        MlsGroup alice = live.alice();
        MlsMessage commit = alice.commit(CommitOptions.of(new Proposal.Add(kp))).commit();
        StagedCommit staged = (StagedCommit) bob.process(commit);
        assertThat(staged.addedMembers()).hasSize(1);
    }
}
