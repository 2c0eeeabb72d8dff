package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * Stored group state ({@link GroupStateCodec}) read back from a damaged or tampered store: any
 * bytes give a {@link DecodeException} or a state that encodes, decodes again to the same epoch,
 * and resumes as a group. Seeds are Bob's states with cached proposals, retained out-of-order
 * keys, past epochs and Update keys in play.
 */
class GroupStateFuzzTest {
    static Stream<Arguments> seeds() throws MlsException {
        LiveGroup live = LiveGroup.get();
        List<Arguments> out = new ArrayList<>();
        out.add(VectorSeeds.named("Bob, epoch 1", live.bobState));
        out.add(VectorSeeds.named("Alice, epoch 1", live.aliceState));
        MlsGroup bob = live.bob();
        List<MlsMessage> honest = live.honest;
        bob.process(honest.get(2)); // generation 2 before 0 and 1: keys retained for them
        out.add(VectorSeeds.named("Bob with retained keys", GroupStateCodec.encode(bob.state())));
        bob.process(honest.get(3)); // a cached Remove proposal
        out.add(VectorSeeds.named("Bob with a cached proposal", GroupStateCodec.encode(bob.state())));
        bob.merge((StagedCommit) bob.process(honest.get(5)));
        out.add(VectorSeeds.named("Bob in epoch 2 with a past epoch", GroupStateCodec.encode(bob.state())));
        return out.stream();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void decodesToAUsableStateOrRejects(byte[] input) throws DecodeException {
        LiveGroup live = LiveGroup.get();
        GroupState state;
        try {
            state = GroupStateCodec.decode(input, live.config);
        } catch (DecodeException rejected) {
            return;
        }
        byte[] again = GroupStateCodec.encode(state);
        GroupState reloaded = GroupStateCodec.decode(again, live.config);
        assertThat(reloaded.epoch()).isEqualTo(state.epoch());
        assertThat(reloaded.epochAuthenticator()).isEqualTo(state.epochAuthenticator());
        MlsGroup group = MlsGroup.resume(state, live.config, PskLookup.none());
        assertThat(group.members()).isNotNull();
    }
}
