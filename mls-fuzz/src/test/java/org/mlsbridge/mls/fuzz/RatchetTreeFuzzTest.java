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
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.tree.RatchetTree;
import org.mlsbridge.mls.tree.TreeValidator;

/**
 * A ratchet tree as a joiner receives it (ratchet_tree extension, §12.4.3.3): decoding, the
 * structural rules of {@link RatchetTree#fromExtension} and {@link TreeValidator} (tree hash,
 * unique keys, parent hashes, leaf signatures) either refuse it with an {@link MlsException} or
 * accept a tree that encodes back to exactly the input. Input: uint16 cipher suite, the group id
 * as opaque8, then the extension's bytes.
 */
class RatchetTreeFuzzTest {
    static Stream<Arguments> seeds() {
        LiveGroup live = LiveGroup.get();
        return Stream.of(
                VectorSeeds.mapped("tree-validation.json", 12, "tree", c -> input(c.get("cipher_suite").asInt(),
                        VectorSeeds.hex(c, "group_id"), VectorSeeds.hex(c, "tree"))),
                VectorSeeds.mapped("treekem.json", 4, "ratchet_tree", c -> input(c.get("cipher_suite").asInt(),
                        VectorSeeds.hex(c, "group_id"), VectorSeeds.hex(c, "ratchet_tree"))),
                Stream.of(VectorSeeds.named("live group tree", input(LiveGroup.SUITE.id(),
                        LiveGroup.GROUP_ID.toByteArray(), live.bob().state().tree().toExtension().toByteArray()))))
                .flatMap(s -> s);
    }

    static byte[] input(int suite, byte[] groupId, byte[] tree) {
        return new TlsWriter().uint16(suite).uint8(groupId.length).raw(groupId).raw(tree).toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void validOrRejected(byte[] input) {
        if (input.length < 3) {
            return;
        }
        Optional<CipherSuite> suite = CipherSuite.fromId(((input[0] & 0xff) << 8) | (input[1] & 0xff));
        int idLength = input[2] & 0xff;
        if (suite.isEmpty() || input.length < 3 + idLength) {
            return;
        }
        Bytes groupId = Bytes.wrap(Arrays.copyOfRange(input, 3, 3 + idLength));
        byte[] wire = Arrays.copyOfRange(input, 3 + idLength, input.length);
        RatchetTree tree;
        try {
            tree = RatchetTree.fromExtension(LiveGroup.get().config.crypto().suite(suite.get()),
                    TlsReader.decode(wire, RatchetTreeExtension::readFrom));
            TreeValidator.validate(tree, groupId, tree.treeHash());
        } catch (MlsException rejected) {
            return;
        }
        assertThat(tree.toExtension().toByteArray()).isEqualTo(wire);
    }
}
