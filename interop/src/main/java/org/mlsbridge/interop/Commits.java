package org.mlsbridge.interop;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.interop.proto.CommitRequest;
import org.mlsbridge.interop.proto.CommitResponse;
import org.mlsbridge.interop.proto.HandleCommitRequest;
import org.mlsbridge.interop.proto.HandleCommitResponse;
import org.mlsbridge.interop.proto.HandlePendingCommitRequest;
import org.mlsbridge.interop.proto.ProposalDescription;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.GroupState;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.group.ProposalReceived;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.ContentType;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;

/**
 * Commits (RFC 9420 §12.4): creating one (it stays pending until HandlePendingCommit, as the
 * library keeps own commits pending until the delivery service's order is known), and
 * processing another member's after the proposals it covers by reference. A handle keeps its
 * state id across epochs.
 */
final class Commits {
    private final ClientState client;
    private final Descriptions descriptions;

    Commits(ClientState client, Descriptions descriptions) {
        this.client = client;
        this.descriptions = descriptions;
    }

    /** Proposals by reference are read first (the member's own are known by their encoding). */
    CommitResponse commit(CommitRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        MlsGroup group = h.group();
        if (group.pendingCommit().isPresent()) {
            throw RpcFailure.precondition("a commit of this member is already pending: handle it first");
        }
        List<Bytes> refs = new ArrayList<>();
        for (ByteString proposal : r.getByReferenceList()) {
            refs.add(read(h, proposal, "by_reference").orElseThrow(() -> RpcFailure.invalid(
                    "by_reference holds a proposal this member sent in an earlier epoch")));
        }
        GroupState s = group.state();
        List<Proposal> values = new ArrayList<>();
        for (ProposalDescription d : r.getByValueList()) {
            values.add(descriptions.toProposal(d, s.context(), s.tree(), s.crypto()));
        }
        CommitOutput out = group.commit(CommitOptions.empty().withReferences(refs).withValues(values)
                .withPath(r.getForcePath()).withRatchetTreeInGroupInfo(!r.getExternalTree()));
        CommitResponse.Builder resp = CommitResponse.newBuilder().setCommit(Wire.message(out.commit()));
        out.welcome().ifPresent(w -> resp.setWelcome(Wire.message(w)));
        if (r.getExternalTree()) {
            out.pending().next().ifPresent(next -> resp.setRatchetTree(Wire.tree(next.tree())));
        }
        return resp.build();
    }

    HandleCommitResponse handleCommit(HandleCommitRequest r) throws MlsException, RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        StagedCommit merged = handle(h, r.getProposalList(), r.getCommit());
        return HandleCommitResponse.newBuilder().setStateId(r.getStateId())
                .setEpochAuthenticator(authenticator(merged)).build();
    }

    HandleCommitResponse handlePendingCommit(HandlePendingCommitRequest r) throws RpcFailure {
        GroupHandle h = client.group(r.getStateId());
        StagedCommit merged = mergePending(h);
        return HandleCommitResponse.newBuilder().setStateId(r.getStateId())
                .setEpochAuthenticator(authenticator(merged)).build();
    }

    StagedCommit mergePending(GroupHandle h) throws RpcFailure {
        MlsGroup group = h.group();
        StagedCommit pending = group.pendingCommit().orElseThrow(() -> RpcFailure.precondition(
                "this member has no pending commit"));
        group.merge(pending);
        return pending;
    }

    /** Reads the proposals, then the commit, and merges it. */
    StagedCommit handle(GroupHandle h, List<ByteString> proposals, ByteString commit) throws MlsException, RpcFailure {
        for (ByteString proposal : proposals) {
            read(h, proposal, "proposal");
        }
        MlsMessage m = Wire.message(commit, "commit");
        if (!contentType(m).equals(Optional.of(ContentType.COMMIT))) {
            throw RpcFailure.invalid("commit is not a commit message");
        }
        ProcessedMessage processed = h.group().process(m);
        if (!(processed instanceof StagedCommit staged)) {
            throw RpcFailure.invalid("commit was already handled by this member");
        }
        h.group().merge(staged);
        return staged;
    }

    /**
     * The ref of a proposal message: the member's own from its handle, anyone else's by reading
     * it (which caches it). Empty for an own proposal of an earlier epoch.
     */
    private static Optional<Bytes> read(GroupHandle h, ByteString proposal, String field)
            throws MlsException, RpcFailure {
        Optional<Bytes> own = h.sentProposalRef(Wire.bytes(proposal));
        if (own.isPresent()) {
            return own;
        }
        MlsMessage m = Wire.message(proposal, field);
        if (!contentType(m).equals(Optional.of(ContentType.PROPOSAL))) {
            throw RpcFailure.invalid(field + " is not a proposal message");
        }
        ProcessedMessage processed = h.group().process(m);
        return processed instanceof ProposalReceived received ? Optional.of(received.ref()) : Optional.empty();
    }

    /** The content type a handshake message declares in the clear, before it is read. */
    private static Optional<ContentType> contentType(MlsMessage m) {
        return switch (m.body()) {
            case PublicMessage p -> Optional.of(switch (p.content().content()) {
                case Content.Application a -> ContentType.APPLICATION;
                case Content.ProposalContent pc -> ContentType.PROPOSAL;
                case Content.CommitContent cc -> ContentType.COMMIT;
            });
            case PrivateMessage p -> Optional.of(p.contentType());
            default -> Optional.empty();
        };
    }

    private static ByteString authenticator(StagedCommit merged) {
        return merged.epochAuthenticator().map(Wire::bytes).orElse(ByteString.EMPTY);
    }
}
