package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.group.PublicGroupView;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * A GroupInfo as an external joiner or the bridge's public view receives it. The first input
 * byte chooses whether it is taken as sent (odd) or re-signed by Alice (even: a malicious member
 * publishing a crafted GroupInfo, so mutations get past the signature into the tree and
 * extension checks). Every GroupInfo is refused with an {@link MlsException} or gives a public
 * view; an external commit made from it is refused or, when it names Bob's epoch, is a commit
 * Bob either rejects (state unchanged) or accepts.
 */
class GroupInfoFuzzTest {
    static Stream<Arguments> seeds() {
        LiveGroup live = LiveGroup.get();
        byte[] info = MlsMessage.of(live.groupInfo).toByteArray();
        return Stream.of(
                Stream.of(VectorSeeds.named("live group GroupInfo, re-signed", prefixed(0, info)),
                        VectorSeeds.named("live group GroupInfo, as sent", prefixed(1, info))),
                VectorSeeds.mapped("messages.json", 4, "mls_group_info",
                        c -> prefixed(1, VectorSeeds.hex(c, "mls_group_info")))).flatMap(s -> s);
    }

    private static byte[] prefixed(int mode, byte[] data) {
        byte[] out = new byte[data.length + 1];
        out[0] = (byte) mode;
        System.arraycopy(data, 0, out, 1, data.length);
        return out;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void viewJoinOrReject(byte[] input) throws MlsException {
        if (input.length < 1) {
            return;
        }
        LiveGroup live = LiveGroup.get();
        GroupInfo info;
        try {
            if (!(MlsMessage.decode(Arrays.copyOfRange(input, 1, input.length)).body() instanceof GroupInfo g)) {
                return;
            }
            info = (input[0] & 1) == 0 ? resignedByAlice(live, g) : g;
        } catch (MlsException undecodable) {
            return;
        }
        try {
            PublicGroupView view = PublicGroupView.fromGroupInfo(info, Optional.empty(), live.config);
            assertThat(view.members()).isNotEmpty();
        } catch (MlsException rejected) {
            return;
        }
        ExternalJoin join;
        try {
            join = MlsGroup.joinByExternalCommit(info, Optional.empty(), live.dave, Optional.empty(), Bytes.EMPTY,
                    live.config, PskLookup.none());
        } catch (MlsException rejected) {
            return;
        }
        MlsGroup bob = live.bob();
        GroupState before = bob.state();
        try {
            bob.process(join.commit());
        } catch (MlsException rejected) {
            assertThat(bob.state()).isSameAs(before);
        }
        live.assertBobStillWorks(bob);
    }

    private static GroupInfo resignedByAlice(LiveGroup live, GroupInfo g) throws MlsException {
        GroupInfo unsigned = g.withSignature(Bytes.EMPTY);
        return unsigned.withSignature(Bytes.wrap(live.alice.signWithLabel(live.config.crypto().suite(LiveGroup.SUITE),
                GroupInfo.SIGNATURE_LABEL, unsigned.toBeSigned())));
    }
}
