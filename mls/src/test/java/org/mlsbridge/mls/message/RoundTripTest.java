package org.mlsbridge.mls.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsDecoder;
import org.mlsbridge.mls.codec.TlsEncodable;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.tree.LeafIndex;

class RoundTripTest {
    private static <T extends TlsEncodable> void roundTrips(T value, TlsDecoder<T> decoder) throws Exception {
        byte[] bytes = value.toByteArray();
        T back = TlsReader.decode(bytes, decoder);
        assertThat(back).isEqualTo(value);
        assertThat(back.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void everyMessageRoundTrips() throws Exception {
        for (MlsMessage m : Samples.messages()) {
            roundTrips(m, MlsMessage::readFrom);
        }
    }

    @Test
    void everyProposalRoundTrips() throws Exception {
        for (Proposal p : Samples.proposals()) {
            roundTrips(p, Proposal::readFrom);
        }
    }

    @Test
    void structsRoundTrip() throws Exception {
        roundTrips(Samples.commit(), Commit::readFrom);
        roundTrips(Samples.groupSecrets(), GroupSecrets::readFrom);
        for (LeafNodeSource s : LeafNodeSource.values()) {
            roundTrips(Samples.leaf(s), LeafNode::readFrom);
        }
        roundTrips(Samples.publicCommit().authenticatedContent(), AuthenticatedContent::readFrom);
        roundTrips(new Credential.X509Credential(List.of(Samples.b("3082"), Bytes.EMPTY)), Credential::readFrom);
    }

    @Test
    void nodesAreTagged() throws Exception {
        LeafNode leaf = Samples.leaf(LeafNodeSource.UPDATE);
        var w = new TlsWriter();
        Node.writeNode(w, leaf);
        byte[] bytes = w.toByteArray();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(TlsReader.decode(bytes, Node::readFrom)).isEqualTo(leaf);
    }

    @Test
    void typedExtensionsRoundTrip() throws Exception {
        GroupInfo gi = Samples.groupInfo();
        Extension pubExt = Extensions.find(gi.extensions(), Extension.EXTERNAL_PUB).orElseThrow();
        assertThat(ExternalPub.fromExtension(pubExt).externalPub()).isEqualTo(Samples.b("e0e0"));
        RatchetTreeExtension tree = Extensions.findParsed(gi.extensions(), Extension.RATCHET_TREE,
                RatchetTreeExtension::readFrom).orElseThrow();
        assertThat(tree.nodes()).hasSize(3);
        assertThat(tree.nodes().get(1)).isEmpty();
        List<ExternalSender> senders = List.of(new ExternalSender(Samples.b("01"),
                new Credential.BasicCredential(Samples.b("02"))));
        assertThat(ExternalSender.fromExtension(ExternalSender.toExtension(senders))).isEqualTo(senders);
        assertThat(ApplicationId.fromExtension(new ApplicationId(Samples.b("0a")).toExtension()).id())
                .isEqualTo(Samples.b("0a"));
        RequiredCapabilities rc = RequiredCapabilities.fromExtension(
                Samples.groupContext().extensions().get(0));
        assertThat(rc.extensions()).containsExactly(2);
        assertThat(rc.credentials()).containsExactly(1);
    }

    @Test
    void removeKeepsOutOfRangeLeafIndices() throws Exception {
        Proposal.Remove r = Proposal.Remove.readBody(TlsReader.of(Samples.b("ffffffff")));
        assertThat(r.removed()).isEmpty();
        assertThat(r.toByteArray()).isEqualTo(Samples.b("0003ffffffff").toByteArray());
        assertThat(new Proposal.Remove(LeafIndex.of(5)).removed()).contains(LeafIndex.of(5));
    }

    @Test
    void constructorsRejectInconsistentOptionalFields() {
        FramedContent fc = Samples.publicCommit().content();
        assertThatThrownBy(() -> new PublicMessage(fc, new FramedContentAuthData(Bytes.EMPTY, Optional.empty()),
                Optional.of(Bytes.EMPTY))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PublicMessage(fc, new FramedContentAuthData(Bytes.EMPTY, Optional.of(Bytes.EMPTY)),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        LeafNode l = Samples.leaf(LeafNodeSource.UPDATE);
        assertThatThrownBy(() -> new LeafNode(l.encryptionKey(), l.signatureKey(), l.credential(), l.capabilities(),
                LeafNodeSource.COMMIT, Optional.empty(), Optional.empty(), l.extensions(), l.signature()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toBeSignedOmitsSignatureAndBindsGroupForUpdates() {
        KeyPackage kp = Samples.keyPackage();
        byte[] all = kp.toByteArray();
        byte[] tbs = kp.toBeSigned();
        assertThat(all.length).isEqualTo(tbs.length + 1 + kp.signature().length());
        LeafNode update = Samples.leaf(LeafNodeSource.UPDATE);
        byte[] leafTbs = update.toBeSigned(Samples.b("6767"), LeafIndex.of(2));
        int contentLen = update.toByteArray().length - 1 - update.signature().length();
        assertThat(leafTbs.length).isEqualTo(contentLen + 3 + 4);
        GroupInfo gi = Samples.groupInfo();
        assertThat(gi.toByteArray().length).isEqualTo(gi.toBeSigned().length + 1 + gi.signature().length());
    }

    @Test
    void largeFieldsUseFourByteLengths() throws Exception {
        byte[] big = new byte[20_000];
        big[19_999] = 9;
        PrivateMessage pm = new PrivateMessage(Samples.b("01"), 0, ContentType.APPLICATION, Bytes.EMPTY, Bytes.EMPTY,
                Bytes.wrap(big));
        byte[] enc = MlsMessage.of(pm).toByteArray();
        assertThat(enc).hasSize(2 + 2 + 2 + 8 + 1 + 1 + 1 + 4 + big.length);
        assertThat(MlsMessage.decode(enc).body()).isEqualTo(pm);
        List<Extension> many = IntStream.range(0, 6000)
                .mapToObj(i -> new Extension(i, Bytes.EMPTY)).toList();
        roundTrips(new Proposal.GroupContextExtensions(many), Proposal::readFrom);
    }

    @Test
    void typedExtensionsRejectMalformedData() {
        assertThatThrownBy(() -> ExternalPub.fromExtension(new Extension(Extension.EXTERNAL_PUB, Samples.b("0101ff"))))
                .isInstanceOf(DecodeException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> ExternalPub.fromExtension(new Extension(Extension.APPLICATION_ID, Samples.b("00"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RatchetTreeExtension.fromExtension(new Extension(Extension.RATCHET_TREE,
                Samples.b("020102")))).isInstanceOf(DecodeException.class);
    }
}
