package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * {@link MlsGroup#process} on a live group, as a hostile delivery service would drive it: any bytes
 * end in an {@link MlsException} that leaves Bob's state untouched, or in a valid result; either
 * way Bob then follows Alice's next honest messages. Seeds are Alice's real messages of the epoch
 * (application messages, proposals, commits, a GroupInfo, a Welcome), so mutations get past the
 * decoder into framing, signature, membership tag and commit checks.
 */
class ProcessFuzzTest {
    static Stream<Arguments> seeds() {
        return Stream.concat(Seeds.honestMessages(),
                Stream.of("public_message_commit", "private_message")
                        .flatMap(f -> VectorSeeds.field("messages.json", f, 2)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void anyInputLeavesAWorkingGroup(byte[] input) throws MlsException {
        LiveGroup live = LiveGroup.get();
        MlsGroup bob = live.bob();
        MlsMessage message;
        try {
            message = MlsMessage.decode(input);
        } catch (MlsException undecodable) {
            return;
        }
        GroupState before = bob.state();
        try {
            bob.process(message);
        } catch (MlsException rejected) {
            assertThat(bob.state()).as("state after a rejected message").isSameAs(before);
        }
        live.assertBobStillWorks(bob);
    }
}
