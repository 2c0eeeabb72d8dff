package org.mlsbridge.mls.message;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.HpkeCiphertext;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.tree.LeafIndex;

/** Small hand-built values of every wire struct, for round-trip and hostile-input tests. */
final class Samples {
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

    private Samples() {
    }

    static Bytes b(String hex) {
        return Bytes.fromHex(hex);
    }

    static Capabilities capabilities() {
        return new Capabilities(List.of(1), List.of(1, 0x0a0a), List.of(0x0002), List.of(0x0a0a), List.of(1, 2));
    }

    static LeafNode leaf(LeafNodeSource source) {
        return new LeafNode(b("aa11"), b("bb22"), new Credential.BasicCredential(b("616c696365")), capabilities(),
                source,
                source == LeafNodeSource.KEY_PACKAGE ? Optional.of(new Lifetime(1, -1)) : Optional.empty(),
                source == LeafNodeSource.COMMIT ? Optional.of(b("cc33")) : Optional.empty(),
                List.of(new Extension(Extension.APPLICATION_ID, b("0161"))), b("5151"));
    }

    static KeyPackage keyPackage() {
        return new KeyPackage(1, SUITE, b("1111"), leaf(LeafNodeSource.KEY_PACKAGE),
                List.of(new Extension(Extension.LAST_RESORT, Bytes.EMPTY)), b("5252"));
    }

    static GroupContext groupContext() {
        return new GroupContext(1, SUITE, b("6767"), 7, b("7474"), b("6363"),
                List.of(new RequiredCapabilities(List.of(2), List.of(), List.of(1)).toExtension()));
    }

    static List<Proposal> proposals() {
        return List.of(
                new Proposal.Add(keyPackage()),
                new Proposal.Update(leaf(LeafNodeSource.UPDATE)),
                new Proposal.Remove(LeafIndex.of(3)),
                new Proposal.PreSharedKey(new PreSharedKeyId.ExternalPsk(b("01"), b("02"))),
                new Proposal.PreSharedKey(new PreSharedKeyId.ResumptionPsk(ResumptionPskUsage.BRANCH, b("03"), 9, b("04"))),
                new Proposal.ReInit(b("0505"), 1, CipherSuite.MLS_256_DHKEMP521_AES256GCM_SHA512_P521, List.of()),
                new Proposal.ExternalInit(b("0606")),
                new Proposal.GroupContextExtensions(List.of(new Extension(0x0a0a, b("07")))),
                new Proposal.CustomProposal(0xf001, b("0808")));
    }

    static Commit commit() {
        UpdatePath path = new UpdatePath(leaf(LeafNodeSource.COMMIT), List.of(
                new UpdatePathNode(b("0909"), List.of(new HpkeCiphertext(b("0a"), b("0b")))),
                new UpdatePathNode(b("0c0c"), List.of())));
        return new Commit(List.of(new ProposalOrRef.ByValue(proposals().get(2)),
                new ProposalOrRef.ByReference(b("0d0d"))), Optional.of(path));
    }

    static PublicMessage publicCommit() {
        FramedContent fc = new FramedContent(b("6767"), 7, new Sender.Member(LeafIndex.of(1)), b("ad"),
                new Content.CommitContent(commit()));
        return new PublicMessage(fc, new FramedContentAuthData(b("5353"), Optional.of(b("c7c7"))), Optional.of(b("6d6d")));
    }

    static PublicMessage externalProposal() {
        FramedContent fc = new FramedContent(b("6767"), 7, new Sender.External(0), Bytes.EMPTY,
                new Content.ProposalContent(proposals().get(2)));
        return new PublicMessage(fc, new FramedContentAuthData(b("5454"), Optional.empty()), Optional.empty());
    }

    static PrivateMessage privateMessage() {
        return new PrivateMessage(b("6767"), 7, ContentType.APPLICATION, b("ad"), b("e5e5"), b("c1c1c1"));
    }

    static GroupInfo groupInfo() {
        return new GroupInfo(groupContext(), List.of(new ExternalPub(b("e0e0")).toExtension(),
                new RatchetTreeExtension(List.of(Optional.of(leaf(LeafNodeSource.KEY_PACKAGE)), Optional.empty(),
                        Optional.of(new ParentNode(b("0e"), Bytes.EMPTY, List.of(LeafIndex.of(1)))))).toExtension()),
                b("c7c7"), LeafIndex.of(0), b("5555"));
    }

    static Welcome welcome() {
        return new Welcome(SUITE, List.of(new EncryptedGroupSecrets(b("7272"), new HpkeCiphertext(b("0f"), b("10")))),
                b("1212"));
    }

    static GroupSecrets groupSecrets() {
        return new GroupSecrets(Secret.of(new byte[] {1, 2, 3}), Optional.of(Secret.of(new byte[] {4})),
                List.of(new PreSharedKeyId.ExternalPsk(b("01"), b("02"))));
    }

    static List<MlsMessage> messages() {
        return List.of(MlsMessage.of(publicCommit()), MlsMessage.of(externalProposal()), MlsMessage.of(privateMessage()),
                MlsMessage.of(welcome()), MlsMessage.of(groupInfo()), MlsMessage.of(keyPackage()));
    }
}
