package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;

/**
 * Joining from a Welcome (§12.4.3.1) with Dave's keys: decryption of the group secrets and the
 * GroupInfo, the GroupInfo signature, the tree checks and the key schedule either reject the
 * Welcome with an {@link MlsException}, or Dave is in a consistent group whose state stores and
 * loads again.
 */
class WelcomeFuzzTest {
    static Stream<Arguments> seeds() {
        LiveGroup live = LiveGroup.get();
        return Stream.of(Stream.of(VectorSeeds.named("live group: Welcome for Dave", live.welcomeForDave.toByteArray())),
                VectorSeeds.field("messages.json", "mls_welcome", 4),
                VectorSeeds.field("welcome.json", "welcome", 4)).flatMap(s -> s);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void joinsOrRejects(byte[] input) throws MlsException {
        LiveGroup live = LiveGroup.get();
        Welcome welcome;
        try {
            if (!(MlsMessage.decode(input).body() instanceof Welcome w)) {
                return;
            }
            welcome = w;
        } catch (MlsException undecodable) {
            return;
        }
        MlsGroup dave;
        try {
            dave = MlsGroup.join(welcome, live.daveKeys(), live.config, PskLookup.none());
        } catch (MlsException rejected) {
            return;
        }
        assertThat(dave.members()).anyMatch(m -> m.signatureKey().equals(live.dave.signaturePublicKey()));
        byte[] stored = GroupStateCodec.encode(dave.state());
        assertThat(GroupStateCodec.decode(stored, live.config).epochAuthenticator())
                .isEqualTo(dave.epochAuthenticator());
    }
}
