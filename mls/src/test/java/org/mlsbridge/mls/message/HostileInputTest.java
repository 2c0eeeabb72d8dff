package org.mlsbridge.mls.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsDecoder;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;

/**
 * Hostile bytes must give a {@link DecodeException} and nothing else: no runtime exception, no
 * huge allocation. Starts from the real messages of messages.json and from hand-built encodings
 * with one bad field each.
 */
class HostileInputTest {
    /** What decoding returned: null for success, else the exception. */
    private static Throwable tryDecode(VectorMessages.Field f, byte[] bytes) {
        try {
            f.roundTrip(bytes);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void truncationAtEveryOffsetIsADecodeException() {
        for (VectorMessages.Field f : VectorMessages.firstCases(12)) {
            for (int len = 0; len < f.data().length; len++) {
                Throwable t = tryDecode(f, Arrays.copyOf(f.data(), len));
                if (!(t instanceof DecodeException)) {
                    fail(f + " truncated to " + len + " bytes gave " + t);
                }
            }
        }
    }

    @Test
    void trailingBytesAreADecodeException() {
        for (VectorMessages.Field f : VectorMessages.all()) {
            for (byte extra : new byte[] {0, 1, (byte) 0xff}) {
                byte[] longer = Arrays.copyOf(f.data(), f.data().length + 1);
                longer[longer.length - 1] = extra;
                Throwable t = tryDecode(f, longer);
                assertThat(t).as(f + " with a trailing byte").isInstanceOf(DecodeException.class)
                        .hasMessageContaining("trailing");
            }
        }
    }

    /**
     * Any single-byte change either fails cleanly or yields another valid value whose encoding is
     * exactly the changed bytes: the encoding is canonical, so nothing is silently normalised.
     * Changes hit length prefixes (oversized, non-minimal, 0b11 varints), tags, presence bytes
     * and counts alike.
     */
    @Test
    void singleByteChangesFailCleanlyOrStayCanonical() throws Exception {
        byte[] replacements = {0x00, 0x01, 0x02, 0x03, 0x05, 0x3f, 0x40, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0,
                (byte) 0xff};
        for (VectorMessages.Field f : VectorMessages.firstCases(4)) {
            for (int i = 0; i < f.data().length; i++) {
                for (byte b : replacements) {
                    byte[] changed = f.data().clone();
                    if (changed[i] == b) {
                        continue;
                    }
                    changed[i] = b;
                    byte[] reencoded;
                    try {
                        reencoded = f.roundTrip(changed);
                    } catch (DecodeException expected) {
                        continue;
                    } catch (RuntimeException | Error e) {
                        throw new AssertionError(f + " with byte " + i + " set to " + b + " threw " + e, e);
                    }
                    assertThat(reencoded).as(f + " with byte " + i + " set to " + b).isEqualTo(changed);
                }
            }
        }
    }

    private static byte[] bytes(Consumer<TlsWriter> body) {
        TlsWriter w = new TlsWriter();
        body.accept(w);
        // Padding, so that a failure comes from the bad field and not from running out of input.
        w.raw(new byte[64]);
        return w.toByteArray();
    }

    private static void keyPackageUpToCredential(TlsWriter w) {
        w.uint16(1).uint16(5).uint16(1).uint16(1).opaque(new byte[] {1}).opaque(new byte[] {2}).opaque(new byte[] {3});
    }

    private static void emptyCapabilities(TlsWriter w) {
        w.uint8(0).uint8(0).uint8(0).uint8(0).uint8(0);
    }

    private static void framedContentUpToSender(TlsWriter w) {
        w.uint16(1).uint16(1).opaque(new byte[] {7}).uint64(3);
    }

    static Stream<Arguments> badFields() {
        TlsDecoder<MlsMessage> msg = MlsMessage::readFrom;
        TlsDecoder<Proposal> proposal = Proposal::readFrom;
        return Stream.of(
                Arguments.of("protocol version", msg, bytes(w -> w.uint16(2).uint16(1)), "version"),
                Arguments.of("wire format 0", msg, bytes(w -> w.uint16(1).uint16(0)), "WireFormat"),
                Arguments.of("wire format 6", msg, bytes(w -> w.uint16(1).uint16(6)), "WireFormat"),
                Arguments.of("wire format 0xffff", msg, bytes(w -> w.uint16(1).uint16(0xffff)), "WireFormat"),
                Arguments.of("content type 0 (private)", msg,
                        bytes(w -> w.uint16(1).uint16(2).opaque(new byte[] {7}).uint64(3).uint8(0)), "ContentType"),
                Arguments.of("content type 4 (private)", msg,
                        bytes(w -> w.uint16(1).uint16(2).opaque(new byte[] {7}).uint64(3).uint8(4)), "ContentType"),
                Arguments.of("content type 0xff (public)", msg,
                        bytes(w -> { framedContentUpToSender(w); w.uint8(1).uint32(0).opaque(new byte[0]).uint8(0xff); }),
                        "ContentType"),
                Arguments.of("sender type 0", msg, bytes(w -> { framedContentUpToSender(w); w.uint8(0); }), "sender type"),
                Arguments.of("sender type 5", msg, bytes(w -> { framedContentUpToSender(w); w.uint8(5); }), "sender type"),
                Arguments.of("member leaf index above 2^31", msg,
                        bytes(w -> { framedContentUpToSender(w); w.uint8(1).uint32(0x80000000L); }), "out of range"),
                Arguments.of("proposal type 0 (public)", msg,
                        bytes(w -> { framedContentUpToSender(w); w.uint8(2).uint32(0).opaque(new byte[0]).uint8(2).uint16(0); }),
                        "proposal type"),
                Arguments.of("proposal type 0", proposal, bytes(w -> w.uint16(0)), "proposal type"),
                Arguments.of("psk type 0", proposal, bytes(w -> w.uint16(4).uint8(0)), "PSK type"),
                Arguments.of("psk type 3", proposal, bytes(w -> w.uint16(4).uint8(3)), "PSK type"),
                Arguments.of("resumption usage 0", proposal, bytes(w -> w.uint16(4).uint8(2).uint8(0)),
                        "ResumptionPskUsage"),
                Arguments.of("resumption usage 4", proposal, bytes(w -> w.uint16(4).uint8(2).uint8(4)),
                        "ResumptionPskUsage"),
                Arguments.of("re-init cipher suite", proposal,
                        bytes(w -> w.uint16(5).opaque(new byte[] {1}).uint16(1).uint16(0x0a0a)), "cipher suite"),
                Arguments.of("credential type 0", msg, bytes(w -> { keyPackageUpToCredential(w); w.uint16(0); }),
                        "credential type"),
                Arguments.of("credential type 3", msg, bytes(w -> { keyPackageUpToCredential(w); w.uint16(3); }),
                        "credential type"),
                Arguments.of("leaf node source 0", msg, bytes(w -> {
                    keyPackageUpToCredential(w);
                    w.uint16(1).opaque(new byte[] {4});
                    emptyCapabilities(w);
                    w.uint8(0);
                }), "LeafNodeSource"),
                Arguments.of("leaf node source 4", msg, bytes(w -> {
                    keyPackageUpToCredential(w);
                    w.uint16(1).opaque(new byte[] {4});
                    emptyCapabilities(w);
                    w.uint8(4);
                }), "LeafNodeSource"),
                Arguments.of("key package cipher suite 0", msg, bytes(w -> w.uint16(1).uint16(5).uint16(1).uint16(0)), "cipher suite"),
                Arguments.of("key package cipher suite 8", msg, bytes(w -> w.uint16(1).uint16(5).uint16(1).uint16(8)), "cipher suite"),
                Arguments.of("key package version", msg, bytes(w -> w.uint16(1).uint16(5).uint16(2)), "version"),
                Arguments.of("group context cipher suite", msg, bytes(w -> w.uint16(1).uint16(4).uint16(1).uint16(0xf000)),
                        "cipher suite"),
                Arguments.of("group context version", msg, bytes(w -> w.uint16(1).uint16(4).uint16(0)), "version"),
                Arguments.of("welcome cipher suite", msg, bytes(w -> w.uint16(1).uint16(3).uint16(0xffff)), "cipher suite"),
                Arguments.of("node type 0", (TlsDecoder<RatchetTreeExtension>) RatchetTreeExtension::readFrom,
                        bytes(w -> w.raw(new byte[] {2, 1, 0})), "NodeType"),
                Arguments.of("node type 3", (TlsDecoder<RatchetTreeExtension>) RatchetTreeExtension::readFrom,
                        bytes(w -> w.raw(new byte[] {2, 1, 3})), "NodeType"),
                Arguments.of("proposal-or-ref type", (TlsDecoder<Commit>) Commit::readFrom,
                        bytes(w -> w.raw(new byte[] {2, 3, 0})), "ProposalOrRefType"),
                Arguments.of("commit path presence 2", (TlsDecoder<Commit>) Commit::readFrom,
                        bytes(w -> w.raw(new byte[] {0, 2})), "boolean"),
                Arguments.of("commit path presence 0xff", (TlsDecoder<Commit>) Commit::readFrom,
                        bytes(w -> w.raw(new byte[] {0, (byte) 0xff})), "boolean"),
                Arguments.of("tree node presence 2", (TlsDecoder<RatchetTreeExtension>) RatchetTreeExtension::readFrom,
                        bytes(w -> w.raw(new byte[] {1, 2})), "boolean"),
                Arguments.of("path secret presence 2", (TlsDecoder<GroupSecrets>) GroupSecrets::readFrom,
                        bytes(w -> w.opaque(new byte[] {1}).uint8(2)), "boolean"),
                Arguments.of("opaque length 2^30-1", msg,
                        bytes(w -> w.uint16(1).uint16(5).uint16(1).uint16(1).uint32(0xbfffffffL)), "remain"),
                Arguments.of("opaque length 0x3fff", msg,
                        bytes(w -> w.uint16(1).uint16(3).uint16(1).uint8(0).uint16(0x7fff)), "remain"),
                Arguments.of("vector length beyond input", msg,
                        bytes(w -> w.uint16(1).uint16(3).uint16(1).uint32(0x80010000L)), "remain"),
                Arguments.of("varint prefix 0b11", msg,
                        bytes(w -> w.uint16(1).uint16(5).uint16(1).uint16(1).uint8(0xc0)), "0b11"),
                Arguments.of("non-minimal varint", msg,
                        bytes(w -> w.uint16(1).uint16(5).uint16(1).uint16(1).uint16(0x4001)), "minimal"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFields")
    void badFieldIsADecodeException(String what, TlsDecoder<?> decoder, byte[] data, String messagePart) {
        Throwable t = catchAny(() -> TlsReader.decode(data, decoder));
        assertThat(t).as(what).isInstanceOf(DecodeException.class).hasMessageContaining(messagePart);
    }

    @Test
    void unknownProposalTypesAreKeptOpaque() throws Exception {
        byte[] data = new TlsWriter().uint16(0x0a0a).opaque(new byte[] {1, 2}).toByteArray();
        Proposal p = TlsReader.decode(data, Proposal::readFrom);
        assertThat(p).isEqualTo(new Proposal.CustomProposal(0x0a0a, Samples.b("0102")));
        assertThat(p.toByteArray()).isEqualTo(data);
    }

    @Test
    void wireFormatOfEveryVectorMessageIsKept() throws Exception {
        List<String> names = List.of("mls_welcome", "mls_group_info", "mls_key_package", "public_message_commit",
                "private_message");
        for (VectorMessages.Field f : VectorMessages.firstCases(1)) {
            if (names.contains(f.name())) {
                MlsMessage m = MlsMessage.decode(f.data());
                assertThat(m.wireFormat().id()).isEqualTo(((f.data()[2] & 0xff) << 8) | (f.data()[3] & 0xff));
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Throwable catchAny(Action a) {
        try {
            a.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
