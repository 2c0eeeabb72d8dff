package org.mlsbridge.mls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * MLSMessage decoding (every wire format and everything inside: framed content, proposals,
 * commits with paths, Welcome, GroupInfo, KeyPackage): any bytes give a {@link DecodeException}
 * or a message that re-encodes to exactly the same bytes (the encoding is canonical).
 */
class MlsMessageFuzzTest {
    static Stream<Arguments> seeds() {
        Stream<Arguments> vectors = Stream.of("mls_welcome", "mls_group_info", "mls_key_package",
                "public_message_application", "public_message_proposal", "public_message_commit", "private_message")
                .flatMap(f -> VectorSeeds.field("messages.json", f, 8));
        return Stream.concat(vectors, Seeds.honestMessages());
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void decodeIsCanonicalOrADecodeException(byte[] input) {
        MlsMessage m;
        try {
            m = MlsMessage.decode(input);
        } catch (DecodeException rejected) {
            return;
        }
        assertThat(m.toByteArray()).isEqualTo(input);
    }
}
