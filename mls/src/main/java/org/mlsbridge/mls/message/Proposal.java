package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.tree.LeafIndex;

/**
 * {@code Proposal} of RFC 9420 §12.1. {@link #writeTo} writes the tagged proposal (type, then
 * body); {@link #writeBody} and each variant's {@code readBody} handle the bare body.
 *
 * <p>Proposal types this library does not know (other than the reserved 0) decode as
 * {@link CustomProposal} whose body is taken to be {@code opaque data<V>}; RFC 9420 leaves the
 * encoding of extension proposals to their specifications, and opaque&lt;V&gt; is what the known
 * extension proposals and other implementations use.
 */
public sealed interface Proposal extends TlsEncodable permits Proposal.Add, Proposal.Update, Proposal.Remove,
        Proposal.PreSharedKey, Proposal.ReInit, Proposal.ExternalInit, Proposal.GroupContextExtensions,
        Proposal.CustomProposal {
    int ADD = 0x0001;
    int UPDATE = 0x0002;
    int REMOVE = 0x0003;
    int PSK = 0x0004;
    int REINIT = 0x0005;
    int EXTERNAL_INIT = 0x0006;
    int GROUP_CONTEXT_EXTENSIONS = 0x0007;

    /** The uint16 {@code ProposalType}. */
    int type();

    /** The body without the type. */
    void writeBody(TlsWriter w);

    @Override
    default void writeTo(TlsWriter w) {
        w.uint16(type());
        writeBody(w);
    }

    record Add(KeyPackage keyPackage) implements Proposal {
        public Add {
            Objects.requireNonNull(keyPackage, "keyPackage");
        }

        @Override
        public int type() {
            return ADD;
        }

        @Override
        public void writeBody(TlsWriter w) {
            keyPackage.writeTo(w);
        }

        public static Add readBody(TlsReader r) throws DecodeException {
            return new Add(KeyPackage.readFrom(r));
        }
    }

    record Update(LeafNode leafNode) implements Proposal {
        public Update {
            Objects.requireNonNull(leafNode, "leafNode");
        }

        @Override
        public int type() {
            return UPDATE;
        }

        @Override
        public void writeBody(TlsWriter w) {
            leafNode.writeTo(w);
        }

        public static Update readBody(TlsReader r) throws DecodeException {
            return new Update(LeafNode.readFrom(r));
        }
    }

    /**
     * Removes a member. The wire value is a uint32 and random or hostile values may exceed every
     * leaf index a tree can have (RFC 9420 trees have fewer than 2^31 leaves), yet must still
     * re-encode unchanged; so the raw value is kept and {@link #removed()} says whether it names a
     * possible leaf.
     *
     * @param removedValue the unsigned 32-bit leaf index from the wire
     */
    record Remove(long removedValue) implements Proposal {
        public Remove {
            if (removedValue < 0 || removedValue > 0xffffffffL) {
                throw new IllegalArgumentException("not a uint32 leaf index: " + removedValue);
            }
        }

        public Remove(LeafIndex removed) {
            this(removed.value());
        }

        /** The removed leaf; empty when the value is too large to be any leaf (validation rejects it). */
        public Optional<LeafIndex> removed() {
            return removedValue <= Integer.MAX_VALUE ? Optional.of(LeafIndex.of((int) removedValue)) : Optional.empty();
        }

        @Override
        public int type() {
            return REMOVE;
        }

        @Override
        public void writeBody(TlsWriter w) {
            w.uint32(removedValue);
        }

        public static Remove readBody(TlsReader r) throws DecodeException {
            return new Remove(r.uint32());
        }
    }

    record PreSharedKey(PreSharedKeyId psk) implements Proposal {
        public PreSharedKey {
            Objects.requireNonNull(psk, "psk");
        }

        @Override
        public int type() {
            return PSK;
        }

        @Override
        public void writeBody(TlsWriter w) {
            psk.writeTo(w);
        }

        public static PreSharedKey readBody(TlsReader r) throws DecodeException {
            return new PreSharedKey(PreSharedKeyId.readFrom(r));
        }
    }

    /** @param version the raw ProtocolVersion of the new group, which may be newer than ours */
    record ReInit(Bytes groupId, int version, CipherSuite cipherSuite, List<Extension> extensions)
            implements Proposal {
        public ReInit {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(cipherSuite, "cipherSuite");
            extensions = List.copyOf(extensions);
        }

        @Override
        public int type() {
            return REINIT;
        }

        @Override
        public void writeBody(TlsWriter w) {
            w.opaque(groupId).uint16(version).uint16(cipherSuite.id()).vector(extensions);
        }

        public static ReInit readBody(TlsReader r) throws DecodeException {
            return new ReInit(r.opaque(), r.uint16(), Wire.readSuite(r), Wire.readExtensions(r));
        }
    }

    record ExternalInit(Bytes kemOutput) implements Proposal {
        public ExternalInit {
            Objects.requireNonNull(kemOutput, "kemOutput");
        }

        @Override
        public int type() {
            return EXTERNAL_INIT;
        }

        @Override
        public void writeBody(TlsWriter w) {
            w.opaque(kemOutput);
        }

        public static ExternalInit readBody(TlsReader r) throws DecodeException {
            return new ExternalInit(r.opaque());
        }
    }

    record GroupContextExtensions(List<Extension> extensions) implements Proposal {
        public GroupContextExtensions {
            extensions = List.copyOf(extensions);
        }

        @Override
        public int type() {
            return GROUP_CONTEXT_EXTENSIONS;
        }

        @Override
        public void writeBody(TlsWriter w) {
            w.vector(extensions);
        }

        public static GroupContextExtensions readBody(TlsReader r) throws DecodeException {
            return new GroupContextExtensions(Wire.readExtensions(r));
        }
    }

    /** A proposal type this library does not implement, with its body as {@code opaque data<V>}. */
    record CustomProposal(int type, Bytes data) implements Proposal {
        public CustomProposal {
            if (type <= 0 || type > 0xffff || isKnown(type)) {
                throw new IllegalArgumentException("not a custom proposal type: " + type);
            }
            Objects.requireNonNull(data, "data");
        }

        @Override
        public void writeBody(TlsWriter w) {
            w.opaque(data);
        }
    }

    /** Whether {@code type} is one of the seven proposal types of RFC 9420. */
    static boolean isKnown(int type) {
        return type >= ADD && type <= GROUP_CONTEXT_EXTENSIONS;
    }

    static Proposal readFrom(TlsReader r) throws DecodeException {
        int type = r.uint16();
        return switch (type) {
            case ADD -> Add.readBody(r);
            case UPDATE -> Update.readBody(r);
            case REMOVE -> Remove.readBody(r);
            case PSK -> PreSharedKey.readBody(r);
            case REINIT -> ReInit.readBody(r);
            case EXTERNAL_INIT -> ExternalInit.readBody(r);
            case GROUP_CONTEXT_EXTENSIONS -> GroupContextExtensions.readBody(r);
            case 0 -> throw new DecodeException("reserved proposal type 0");
            default -> new CustomProposal(type, r.opaque());
        };
    }
}
