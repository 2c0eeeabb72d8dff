package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.GroupRatchets;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.StorageException;

/**
 * Stored ratchets ({@link GroupRatchets}) read back from a damaged or tampered store, through
 * {@link MlsGroup#load}: any bytes give a {@link StorageException} or a group whose ratchets
 * encode, load again and encode to the same bytes. The first input byte picks the stored state
 * they are loaded with: Bob in epoch 1, or Bob in epoch 2 with epoch 1 in the past-epoch window.
 * Seeds are the ratchets of both, fresh and with retained out-of-order keys.
 */
class GroupRatchetsFuzzTest {
    private static final class States {
        static final byte[][] BASE = build();

        private static byte[][] build() {
            try {
                LiveGroup live = LiveGroup.get();
                MlsGroup bob = live.bob();
                bob.merge((StagedCommit) bob.process(live.honest.get(5)));
                return new byte[][] {live.bobState, GroupStateCodec.encode(bob.state())};
            } catch (MlsException e) {
                throw new IllegalStateException("the fuzz fixture could not be built", e);
            }
        }
    }

    static Stream<Arguments> seeds() throws MlsException {
        LiveGroup live = LiveGroup.get();
        List<Arguments> out = new ArrayList<>();
        MlsGroup bob = live.bob();
        out.add(VectorSeeds.named("Bob, epoch 1, fresh", prefixed(0, GroupRatchets.encode(bob.state()))));
        bob.process(live.honest.get(2)); // generation 2 before 0 and 1: keys retained for them
        out.add(VectorSeeds.named("Bob, epoch 1, retained keys", prefixed(0, GroupRatchets.encode(bob.state()))));
        MlsGroup later = live.bob();
        later.merge((StagedCommit) later.process(live.honest.get(5)));
        out.add(VectorSeeds.named("Bob, epoch 2 with a past epoch", prefixed(1, GroupRatchets.encode(later.state()))));
        return out.stream();
    }

    private static byte[] prefixed(int base, byte[] ratchets) {
        byte[] out = new byte[ratchets.length + 1];
        out[0] = (byte) base;
        System.arraycopy(ratchets, 0, out, 1, ratchets.length);
        return out;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void loadsWithTheRatchetsOrRejects(byte[] input) {
        if (input.length == 0) {
            return;
        }
        LiveGroup live = LiveGroup.get();
        InMemoryMlsStorage storage = new InMemoryMlsStorage();
        storage.saveGroupState(LiveGroup.GROUP_ID, States.BASE[(input[0] & 0xff) % 2]);
        storage.saveGroupRatchets(LiveGroup.GROUP_ID, Arrays.copyOfRange(input, 1, input.length));
        MlsGroup group;
        try {
            group = MlsGroup.load(storage, LiveGroup.GROUP_ID, live.config, PskLookup.none()).orElseThrow();
        } catch (StorageException rejected) {
            return;
        }
        byte[] encoded = GroupRatchets.encode(group.state());
        storage.saveGroupRatchets(LiveGroup.GROUP_ID, encoded);
        MlsGroup again = MlsGroup.load(storage, LiveGroup.GROUP_ID, live.config, PskLookup.none()).orElseThrow();
        assertThat(GroupRatchets.encode(again.state())).isEqualTo(encoded);
        assertThat(again.epoch()).isEqualTo(group.epoch());
        assertThat(again.members()).isNotEmpty();
    }
}
