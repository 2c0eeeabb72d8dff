package org.mlsbridge.mls.message;

import java.util.Objects;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.tree.LeafIndex;

/** {@code Sender} of RFC 9420 §6. */
public sealed interface Sender extends TlsEncodable
        permits Sender.Member, Sender.External, Sender.NewMemberProposal, Sender.NewMemberCommit {
    int MEMBER = 1;
    int EXTERNAL = 2;
    int NEW_MEMBER_PROPOSAL = 3;
    int NEW_MEMBER_COMMIT = 4;

    /** The uint8 {@code SenderType}. */
    int senderType();

    record Member(LeafIndex leaf) implements Sender {
        public Member {
            Objects.requireNonNull(leaf, "leaf");
        }

        @Override
        public int senderType() {
            return MEMBER;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(MEMBER).uint32(leaf.value());
        }
    }

    /** @param senderIndex index into the group's external_senders extension */
    record External(int senderIndex) implements Sender {
        public External {
            if (senderIndex < 0) {
                throw new IllegalArgumentException("negative external sender index " + senderIndex);
            }
        }

        @Override
        public int senderType() {
            return EXTERNAL;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(EXTERNAL).uint32(senderIndex);
        }
    }

    record NewMemberProposal() implements Sender {
        @Override
        public int senderType() {
            return NEW_MEMBER_PROPOSAL;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(NEW_MEMBER_PROPOSAL);
        }
    }

    record NewMemberCommit() implements Sender {
        @Override
        public int senderType() {
            return NEW_MEMBER_COMMIT;
        }

        @Override
        public void writeTo(TlsWriter w) {
            w.uint8(NEW_MEMBER_COMMIT);
        }
    }

    static Sender readFrom(TlsReader r) throws DecodeException {
        int type = r.uint8();
        return switch (type) {
            case MEMBER -> new Member(Wire.readLeafIndex(r));
            case EXTERNAL -> new External(r.uint32AsInt("external sender index"));
            case NEW_MEMBER_PROPOSAL -> new NewMemberProposal();
            case NEW_MEMBER_COMMIT -> new NewMemberCommit();
            default -> throw new DecodeException("unknown sender type " + type);
        };
    }
}
