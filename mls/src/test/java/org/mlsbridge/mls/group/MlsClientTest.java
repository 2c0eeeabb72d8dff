package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.RatchetTreeExtension;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.MlsStorage;

/** The client object and the conveniences of the group API that need no codec plumbing. */
class MlsClientTest {
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    private static final GroupConfig CONFIG = GroupConfig.DEFAULT;

    private static MlsClient client(String name) {
        return MlsClient.of(SignatureIdentity.generateBasic(CONFIG.crypto(), SUITE, utf8(name)),
                new InMemoryMlsStorage(), CONFIG);
    }

    @Test
    void createKeyPackageStoresItsPrivateKeysAndReturnsTheMessageToPublish() throws MlsException {
        MlsClient bob = client("bob");
        Bytes published = bob.createKeyPackage().encode();
        KeyPackage kp = MlsMessage.decodeKeyPackage(published);
        Bytes ref = CONFIG.crypto().suite(SUITE).makeKeyPackageRef(kp.toByteArray());
        KeyPackageBundle stored = bob.storage().loadKeyPackage(ref).orElseThrow();
        assertThat(stored.keyPackage()).isEqualTo(kp);
        assertThat(stored.isLastResort()).isFalse();

        KeyPackage last = MlsMessage.decodeKeyPackage(bob.createLastResortKeyPackage().encode());
        assertThat(KeyPackageBundle.isLastResort(last)).isTrue();
        assertThat(bob.storage().keyPackageRefs()).hasSize(2);
    }

    @Test
    void joinUsesTheKeyPackageUpAndTheClientLoadsItsIdentityBack() throws MlsException {
        MlsStorage storage = new InMemoryMlsStorage();
        MlsClient bob = MlsClient.of(SignatureIdentity.generateBasic(CONFIG.crypto(), SUITE, utf8("bob")), storage,
                CONFIG);
        bob.saveIdentity("me");
        MlsClient alice = client("alice");
        MlsGroup a = alice.createGroup();
        CommitOutput add = a.commitAndMerge(CommitOptions.of(new Proposal.Add(
                MlsMessage.decodeKeyPackage(bob.createKeyPackage().encode()))));
        Welcome welcome = MlsMessage.decodeWelcome(add.welcomeMessage().orElseThrow().encode());

        MlsClient again = MlsClient.load(storage, "me", CONFIG).orElseThrow();
        MlsGroup b = again.join(welcome);
        assertThat(storage.keyPackageRefs()).isEmpty();
        assertThat(again.groupIds()).containsExactly(a.groupId());
        assertThat(b.epochAuthenticator()).isEqualTo(a.epochAuthenticator());
        assertThatThrownBy(() -> again.join(welcome)).isInstanceOf(MlsException.class);
        assertThat(MlsClient.load(storage, "nobody", CONFIG)).isEmpty();
    }

    @Test
    void theRatchetTreeTravelsOutOfBandBothWays() throws MlsException {
        MlsClient alice = client("alice");
        MlsClient bob = client("bob");
        MlsGroup a = alice.createGroup();
        CommitOutput add = a.commitAndMerge(CommitOptions.of(new Proposal.Add(
                MlsMessage.decodeKeyPackage(bob.createKeyPackage().encode()))).withRatchetTreeInGroupInfo(false));
        Welcome welcome = add.welcome().orElseThrow();
        assertThatThrownBy(() -> bob.join(welcome)).isInstanceOf(MlsException.class);

        Bytes tree = a.ratchetTree().encode();
        MlsGroup b = bob.join(welcome, RatchetTreeExtension.decode(tree));
        assertThat(b.ratchetTree()).isEqualTo(a.ratchetTree());
        assertThat(b.epochAuthenticator()).isEqualTo(a.epochAuthenticator());
    }

    @Test
    void groupInfoComesOneWayFromTheGroupAndFromACommitAndServesAnExternalJoin() throws MlsException {
        MlsClient alice = client("alice");
        MlsGroup a = alice.createGroup();
        GroupInfo now = a.groupInfo();
        CommitOutput empty = a.commitAndMerge(CommitOptions.empty());
        GroupInfo fromCommit = empty.groupInfo();
        assertThat(fromCommit.groupContext().epoch()).isEqualTo(now.groupContext().epoch() + 1);

        MlsClient carol = client("carol");
        GroupInfo received = MlsMessage.decodeGroupInfo(fromCommit.toMessage().encode());
        ExternalJoin join = carol.joinByExternalCommit(received);
        a.merge((StagedCommit) a.process(MlsMessage.decodeProtocolMessage(join.commit().encode())));
        assertThat(join.group().epochAuthenticator()).isEqualTo(a.epochAuthenticator());
        assertThat(carol.loadGroup(a.groupId()).orElseThrow().epoch()).isEqualTo(a.epoch());
    }

    @Test
    void typedDecodingNamesWhatArrivedInstead() throws MlsException {
        MlsClient alice = client("alice");
        Bytes keyPackage = alice.createKeyPackage().encode();
        assertThatThrownBy(() -> MlsMessage.decodeWelcome(keyPackage)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("Welcome").hasMessageContaining("KEY_PACKAGE");
        assertThatThrownBy(() -> MlsMessage.decodeGroupInfo(keyPackage)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> MlsMessage.decodeProtocolMessage(keyPackage)).isInstanceOf(DecodeException.class);
        Bytes groupInfo = alice.createGroup().groupInfo().toMessage().encode();
        assertThatThrownBy(() -> MlsMessage.decodeKeyPackage(groupInfo)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> MlsMessage.decodeWelcome(Bytes.of(new byte[] {0, 1, 0, 3})))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void addOnlyCommitsCarryNoPathUnlessAsked() throws MlsException {
        MlsClient alice = client("alice");
        MlsGroup a = alice.createGroup();
        KeyPackage bob = MlsMessage.decodeKeyPackage(client("bob").createKeyPackage().encode());
        KeyPackage carol = MlsMessage.decodeKeyPackage(client("carol").createKeyPackage().encode());
        assertThat(pathOf(a.commitAndMerge(CommitOptions.of(new Proposal.Add(bob))))).isFalse();
        assertThat(pathOf(a.commitAndMerge(CommitOptions.of(new Proposal.Add(carol)).withPath(true)))).isTrue();
        assertThat(pathOf(a.commitAndMerge(CommitOptions.empty()))).as("an empty commit needs one").isTrue();
        Member bobMember = a.members().get(1);
        assertThat(pathOf(a.commitAndMerge(CommitOptions.of(new Proposal.Remove(bobMember.leaf())))))
                .as("a Remove needs one").isTrue();
    }

    @Test
    void membersOwnLeafAndSenderCarryIdentitiesAndThePlaintextIsNeverPrinted() throws MlsException {
        MlsClient alice = client("alice");
        MlsClient bob = client("bob");
        MlsGroup a = alice.createGroup();
        CommitOutput add = a.commitAndMerge(CommitOptions.of(new Proposal.Add(
                MlsMessage.decodeKeyPackage(bob.createKeyPackage().encode()))));
        MlsGroup b = bob.join(add.welcome().orElseThrow());
        assertThat(a.members()).extracting(Member::identity).containsExactly(utf8("alice"), utf8("bob"));
        assertThat(a.ownLeaf().value()).isZero();
        assertThat(b.ownLeaf().value()).isEqualTo(1);

        Bytes secret = utf8("the launch code is 0000");
        ApplicationMessage m = (ApplicationMessage) b.process(a.encrypt(secret, Bytes.EMPTY));
        assertThat(m.data()).isEqualTo(secret);
        assertThat(m.senderIdentity()).isEqualTo(utf8("alice"));
        assertThat(m.toString()).doesNotContain(secret.hex()).doesNotContain("launch").contains("redacted");
    }

    private static boolean pathOf(CommitOutput out) {
        PublicMessage pm = (PublicMessage) out.commit().body();
        Commit commit = ((Content.CommitContent) pm.content().content()).commit();
        return commit.path().isPresent();
    }

    private static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
