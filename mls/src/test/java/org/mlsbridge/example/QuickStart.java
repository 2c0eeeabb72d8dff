package org.mlsbridge.example;

import java.nio.charset.StandardCharsets;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.group.ApplicationMessage;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.CommitOutput;
import org.mlsbridge.mls.group.ExternalJoin;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.Member;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ProcessedMessage;
import org.mlsbridge.mls.group.StagedCommit;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;

/** Alice, Bob and Carol share one MLS group; every {@code Bytes} named "...Wire" travels over the network. */
public final class QuickStart {
    public static void main(String[] args) throws MlsException {
        GroupConfig config = GroupConfig.DEFAULT;
        CipherSuite suite = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
        // One client per person: identity + storage + config. A real application passes a
        // persistent MlsStorage (e.g. a database); groups save themselves in it.
        MlsClient alice = MlsClient.of(SignatureIdentity.generateBasic(config.crypto(), suite,
                Bytes.wrap("alice".getBytes(StandardCharsets.UTF_8))), new InMemoryMlsStorage(), config);
        MlsClient bob = MlsClient.of(SignatureIdentity.generateBasic(config.crypto(), suite,
                Bytes.wrap("bob".getBytes(StandardCharsets.UTF_8))), new InMemoryMlsStorage(), config);
        MlsClient carol = MlsClient.of(SignatureIdentity.generateBasic(config.crypto(), suite,
                Bytes.wrap("carol".getBytes(StandardCharsets.UTF_8))), new InMemoryMlsStorage(), config);

        // Bob publishes a KeyPackage; its private keys stay in his storage.
        Bytes bobKeyPackageWire = bob.createKeyPackage().encode();

        // Alice creates a group and adds Bob. commitAndMerge suits a single committer; with several,
        // use commit() and merge on the delivery service's echo (below, when Bob removes Alice).
        MlsGroup aliceGroup = alice.createGroup();
        CommitOutput add = aliceGroup.commitAndMerge(CommitOptions.of(
                new Proposal.Add(MlsMessage.decodeKeyPackage(bobKeyPackageWire))));
        Bytes welcomeWire = add.welcomeMessage().orElseThrow().encode();

        // Bob joins from the Welcome; his KeyPackage is used up.
        MlsGroup bobGroup = bob.join(MlsMessage.decodeWelcome(welcomeWire));

        // Alice sends; Bob reads. Both groups saved their ratchets before returning.
        Bytes helloWire = aliceGroup.encrypt(Bytes.wrap("hello Bob".getBytes(StandardCharsets.UTF_8)), Bytes.EMPTY)
                .encode();
        ProcessedMessage received = bobGroup.process(MlsMessage.decodeProtocolMessage(helloWire));
        if (received instanceof ApplicationMessage m) {
            System.out.println(new String(m.senderIdentity().toByteArray(), StandardCharsets.UTF_8) + " says "
                    + new String(m.data().toByteArray(), StandardCharsets.UTF_8));
        }

        // Bob's program restarts: a new client on the same storage loads the group as it was
        // after the last call; nothing was saved by hand.
        bob = MlsClient.of(bob.identity(), bob.storage(), config);
        bobGroup = bob.loadGroup(bobGroup.groupId()).orElseThrow();

        // Carol joins by external commit from a GroupInfo Bob publishes; the members merge her commit.
        Bytes groupInfoWire = bobGroup.groupInfo().toMessage().encode();
        ExternalJoin join = carol.joinByExternalCommit(MlsMessage.decodeGroupInfo(groupInfoWire));
        MlsGroup carolGroup = join.group();
        Bytes joinWire = join.commit().encode();
        for (MlsGroup member : new MlsGroup[] {aliceGroup, bobGroup}) {
            if (member.process(MlsMessage.decodeProtocolMessage(joinWire)) instanceof StagedCommit staged) {
                member.merge(staged);
            }
        }

        // Bob removes Alice. His commit is pending until the delivery service hands it back in
        // its order; then every member, Bob included, processes it and merges the StagedCommit.
        CommitOutput remove = bobGroup.commit(CommitOptions.of(new Proposal.Remove(aliceGroup.ownLeaf())));
        Bytes removeWire = remove.commit().encode();
        for (MlsGroup member : new MlsGroup[] {aliceGroup, bobGroup, carolGroup}) {
            if (member.process(MlsMessage.decodeProtocolMessage(removeWire)) instanceof StagedCommit staged) {
                member.merge(staged);
            }
        }

        System.out.println("alice active: " + aliceGroup.isActive());
        for (Member member : carolGroup.members()) {
            System.out.println("member at leaf " + member.leaf().value() + ": "
                    + new String(member.identity().toByteArray(), StandardCharsets.UTF_8));
        }
        System.out.println("same epoch secret: "
                + carolGroup.epochAuthenticator().equals(bobGroup.epochAuthenticator()));
    }
}
