package org.mlsbridge.mls.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsDecoder;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.tree.LeafIndex;

/** Random valid structures decode to themselves, and their encodings are canonical. */
class WirePropertiesTest {
    private static <T extends TlsEncodable> void roundTrips(T value, TlsDecoder<T> decoder) throws DecodeException {
        byte[] bytes = value.toByteArray();
        T back = TlsReader.decode(bytes, decoder);
        assertThat(back).isEqualTo(value);
        assertThat(back.toByteArray()).isEqualTo(bytes);
    }

    // ---- generators ----------------------------------------------------------------------------

    static Arbitrary<Bytes> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max).map(Bytes::wrap);
    }

    /** Sometimes long enough to need 2-byte varint length prefixes. */
    static Arbitrary<Bytes> someBytes() {
        return Arbitraries.frequencyOf(Tuple.of(9, bytes(40)), Tuple.of(1, bytes(300)));
    }

    static Arbitrary<Integer> uint16() {
        return Arbitraries.integers().between(0, 0xffff);
    }

    static Arbitrary<List<Integer>> uint16s() {
        return uint16().list().ofMaxSize(5);
    }

    static Arbitrary<LeafIndex> leafIndex() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).map(LeafIndex::of);
    }

    static Arbitrary<CipherSuite> suite() {
        return Arbitraries.of(CipherSuite.class);
    }

    static Arbitrary<Extension> extension() {
        return Combinators.combine(uint16(), someBytes()).as(Extension::new);
    }

    static Arbitrary<List<Extension>> extensions() {
        return extension().list().ofMaxSize(4);
    }

    static Arbitrary<Credential> credential() {
        return Arbitraries.oneOf(
                someBytes().map(Credential.BasicCredential::new),
                someBytes().list().ofMaxSize(3).map(Credential.X509Credential::new));
    }

    static Arbitrary<Capabilities> capabilities() {
        return Combinators.combine(uint16s(), uint16s(), uint16s(), uint16s(), uint16s()).as(Capabilities::new);
    }

    static Arbitrary<LeafNode> leafNode() {
        return leafNode(Arbitraries.of(LeafNodeSource.class));
    }

    /** The fields of a LeafNode that do not depend on its source. */
    private record LeafHead(Bytes encryptionKey, Bytes signatureKey, Credential credential, Capabilities capabilities) {
    }

    static Arbitrary<LeafNode> leafNode(Arbitrary<LeafNodeSource> sources) {
        Arbitrary<Lifetime> lifetime = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Lifetime::new);
        Arbitrary<LeafHead> head = Combinators.combine(bytes(40), bytes(40), credential(), capabilities())
                .as(LeafHead::new);
        return Combinators.combine(head, sources, lifetime, bytes(40), extensions(), someBytes())
                .as((h, source, life, ph, exts, sig) -> new LeafNode(h.encryptionKey(), h.signatureKey(),
                        h.credential(), h.capabilities(), source,
                        source == LeafNodeSource.KEY_PACKAGE ? Optional.of(life) : Optional.empty(),
                        source == LeafNodeSource.COMMIT ? Optional.of(ph) : Optional.empty(), exts, sig));
    }

    static Arbitrary<KeyPackage> keyPackage() {
        return Combinators.combine(suite(), bytes(40), leafNode(Arbitraries.just(LeafNodeSource.KEY_PACKAGE)),
                extensions(), someBytes())
                .as((suite, init, leaf, exts, sig) -> new KeyPackage(1, suite, init, leaf, exts, sig));
    }

    static Arbitrary<PreSharedKeyId> psk() {
        return Arbitraries.oneOf(
                Combinators.combine(someBytes(), bytes(40)).as(PreSharedKeyId.ExternalPsk::new),
                Combinators.combine(Arbitraries.of(ResumptionPskUsage.class), bytes(40), Arbitraries.longs(), bytes(40))
                        .as(PreSharedKeyId.ResumptionPsk::new));
    }

    static Arbitrary<Proposal> proposal() {
        return Arbitraries.oneOf(
                keyPackage().map(Proposal.Add::new),
                leafNode(Arbitraries.just(LeafNodeSource.UPDATE)).map(Proposal.Update::new),
                Arbitraries.longs().between(0, 0xffffffffL).map(Proposal.Remove::new),
                psk().map(Proposal.PreSharedKey::new),
                Combinators.combine(bytes(40), uint16(), suite(), extensions()).as(Proposal.ReInit::new),
                bytes(40).map(Proposal.ExternalInit::new),
                extensions().map(Proposal.GroupContextExtensions::new),
                Combinators.combine(uint16().filter(t -> t > 0 && !Proposal.isKnown(t)), someBytes())
                        .as(Proposal.CustomProposal::new));
    }

    static Arbitrary<HpkeCiphertext> hpkeCiphertext() {
        return Combinators.combine(bytes(40), someBytes()).as(HpkeCiphertext::new);
    }

    static Arbitrary<UpdatePath> updatePath() {
        Arbitrary<UpdatePathNode> node = Combinators.combine(bytes(40), hpkeCiphertext().list().ofMaxSize(3))
                .as(UpdatePathNode::new);
        return Combinators.combine(leafNode(Arbitraries.just(LeafNodeSource.COMMIT)), node.list().ofMaxSize(4))
                .as(UpdatePath::new);
    }

    static Arbitrary<Commit> commit() {
        Arbitrary<ProposalOrRef> por = Arbitraries.oneOf(proposal().map(ProposalOrRef.ByValue::new),
                bytes(32).map(ProposalOrRef.ByReference::new));
        return Combinators.combine(por.list().ofMaxSize(4), updatePath().optional()).as(Commit::new);
    }

    static Arbitrary<Sender> sender() {
        return Arbitraries.oneOf(leafIndex().map(Sender.Member::new),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(Sender.External::new),
                Arbitraries.just(new Sender.NewMemberProposal()), Arbitraries.just(new Sender.NewMemberCommit()));
    }

    static Arbitrary<Content> content() {
        return Arbitraries.oneOf(someBytes().map(Content.Application::new),
                proposal().map(Content.ProposalContent::new), commit().map(Content.CommitContent::new));
    }

    static Arbitrary<FramedContent> framedContent() {
        return Combinators.combine(bytes(32), Arbitraries.longs(), sender(), someBytes(), content())
                .as(FramedContent::new);
    }

    static Arbitrary<PublicMessage> publicMessage() {
        return Combinators.combine(framedContent(), someBytes(), bytes(64), bytes(64)).as((fc, sig, tag, mtag) ->
                new PublicMessage(fc,
                        new FramedContentAuthData(sig,
                                fc.contentType() == ContentType.COMMIT ? Optional.of(tag) : Optional.empty()),
                        fc.sender() instanceof Sender.Member ? Optional.of(mtag) : Optional.empty()));
    }

    static Arbitrary<PrivateMessage> privateMessage() {
        return Combinators.combine(bytes(32), Arbitraries.longs(), Arbitraries.of(ContentType.class), someBytes(),
                bytes(64), someBytes()).as(PrivateMessage::new);
    }

    static Arbitrary<GroupContext> groupContext() {
        return Combinators.combine(suite(), bytes(32), Arbitraries.longs(), bytes(64), bytes(64), extensions())
                .as((suite, gid, epoch, th, cth, exts) -> new GroupContext(1, suite, gid, epoch, th, cth, exts));
    }

    static Arbitrary<GroupInfo> groupInfo() {
        return Combinators.combine(groupContext(), extensions(), bytes(64), leafIndex(), someBytes())
                .as(GroupInfo::new);
    }

    static Arbitrary<Welcome> welcome() {
        Arbitrary<EncryptedGroupSecrets> egs = Combinators.combine(bytes(64), hpkeCiphertext())
                .as(EncryptedGroupSecrets::new);
        return Combinators.combine(suite(), egs.list().ofMaxSize(4), someBytes()).as(Welcome::new);
    }

    static Arbitrary<GroupSecrets> groupSecrets() {
        Arbitrary<Secret> secret = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Secret::wrap);
        return Combinators.combine(secret, secret.optional(), psk().list().ofMaxSize(3)).as(GroupSecrets::new);
    }

    static Arbitrary<RatchetTreeExtension> ratchetTree() {
        Arbitrary<Node> parent = Combinators.combine(bytes(40), bytes(40), leafIndex().list().ofMaxSize(4))
                .as(ParentNode::new);
        Arbitrary<Node> node = Arbitraries.oneOf(leafNode().map(n -> (Node) n), parent);
        return node.optional().list().ofMaxSize(7).map(RatchetTreeExtension::new);
    }

    static Arbitrary<MlsMessage> mlsMessage() {
        return Arbitraries.oneOf(publicMessage(), privateMessage(), welcome(), groupInfo(), keyPackage())
                .map(b -> MlsMessage.of((MlsMessageBody) b));
    }

    // ---- properties ------------------------------------------------------------------------------

    @Provide
    Arbitrary<Proposal> proposals() {
        return proposal();
    }

    @Property(tries = 300)
    void proposalsRoundTrip(@ForAll("proposals") Proposal p) throws DecodeException {
        roundTrips(p, Proposal::readFrom);
    }

    @Provide
    Arbitrary<LeafNode> leafNodes() {
        return leafNode();
    }

    @Property(tries = 200)
    void leafNodesRoundTrip(@ForAll("leafNodes") LeafNode n) throws DecodeException {
        roundTrips(n, LeafNode::readFrom);
    }

    @Provide
    Arbitrary<KeyPackage> keyPackages() {
        return keyPackage();
    }

    @Property(tries = 100)
    void keyPackagesRoundTrip(@ForAll("keyPackages") KeyPackage kp) throws DecodeException {
        roundTrips(kp, KeyPackage::readFrom);
    }

    @Provide
    Arbitrary<Commit> commits() {
        return commit();
    }

    @Property(tries = 100)
    void commitsRoundTrip(@ForAll("commits") Commit c) throws DecodeException {
        roundTrips(c, Commit::readFrom);
    }

    @Provide
    Arbitrary<FramedContent> framedContents() {
        return framedContent();
    }

    @Property(tries = 100)
    void framedContentRoundTrips(@ForAll("framedContents") FramedContent fc) throws DecodeException {
        roundTrips(fc, FramedContent::readFrom);
    }

    @Provide
    Arbitrary<MlsMessage> mlsMessages() {
        return mlsMessage();
    }

    @Property(tries = 300)
    void mlsMessagesRoundTrip(@ForAll("mlsMessages") MlsMessage m) throws DecodeException {
        roundTrips(m, MlsMessage::readFrom);
    }

    @Provide
    Arbitrary<Welcome> welcomes() {
        return welcome();
    }

    @Property(tries = 100)
    void welcomesRoundTrip(@ForAll("welcomes") Welcome w) throws DecodeException {
        roundTrips(w, Welcome::readFrom);
    }

    @Provide
    Arbitrary<GroupInfo> groupInfos() {
        return groupInfo();
    }

    @Property(tries = 100)
    void groupInfosRoundTrip(@ForAll("groupInfos") GroupInfo gi) throws DecodeException {
        roundTrips(gi, GroupInfo::readFrom);
    }

    @Provide
    Arbitrary<GroupSecrets> groupSecretsValues() {
        return groupSecrets();
    }

    @Property(tries = 100)
    void groupSecretsRoundTrip(@ForAll("groupSecretsValues") GroupSecrets gs) throws DecodeException {
        roundTrips(gs, GroupSecrets::readFrom);
    }

    @Provide
    Arbitrary<RatchetTreeExtension> ratchetTrees() {
        return ratchetTree();
    }

    @Property(tries = 100)
    void ratchetTreesRoundTrip(@ForAll("ratchetTrees") RatchetTreeExtension t) throws DecodeException {
        roundTrips(t, RatchetTreeExtension::readFrom);
    }

    /** Truncating a random valid message anywhere is a DecodeException. */
    @Property(tries = 100)
    void truncatedMessagesFailCleanly(@ForAll("mlsMessages") MlsMessage m,
            @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] bytes = m.toByteArray();
        byte[] shorter = Arrays.copyOf(bytes, cut % bytes.length);
        assertThatThrownBy(() -> MlsMessage.decode(shorter))
                .isInstanceOf(DecodeException.class);
    }
}
