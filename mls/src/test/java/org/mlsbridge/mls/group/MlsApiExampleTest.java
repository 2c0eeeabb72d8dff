package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.Welcome;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;
import org.mlsbridge.mls.storage.MlsStorage;

/** The worked example of docs/mls-api.md, kept compiling and passing. Keep the two in sync. */
class MlsApiExampleTest {
    @Test
    void workedExample() throws MlsException {
        // --- identities and KeyPackages -------------------------------------------------------
        CipherSuite suite = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
        GroupConfig config = GroupConfig.DEFAULT;
        SignatureIdentity alice = SignatureIdentity.generateBasic(config.crypto(), suite, utf8("alice"));
        SignatureIdentity bob = SignatureIdentity.generateBasic(config.crypto(), suite, utf8("bob"));
        MlsStorage bobStorage = new InMemoryMlsStorage();
        KeyPackageBundle bobKp = KeyPackageBuilder.forIdentity(bob).build();
        bobStorage.saveKeyPackage(bobKp.ref(config.crypto()), bobKp);

        // --- Alice creates the group and adds Bob ---------------------------------------------
        MlsGroup aliceGroup = MlsGroup.create(alice, List.of(), config, PskLookup.none());
        CommitOutput add = aliceGroup.commit(CommitOptions.of(new Proposal.Add(bobKp.keyPackage())));
        // The delivery service echoes the commit back: Alice recognises her own commit and merges it.
        StagedCommit echoed = (StagedCommit) aliceGroup.process(add.commit());
        aliceGroup.merge(echoed);
        Welcome welcome = add.welcome().orElseThrow();

        // --- Bob joins from the Welcome (his KeyPackage is consumed from storage) --------------
        MlsGroup bobGroup = MlsGroup.joinFromStorage(welcome, bobStorage, bob, Optional.empty(), config,
                PskLookup.none());
        assertThat(bobGroup.epochAuthenticator()).isEqualTo(aliceGroup.epochAuthenticator());

        // --- messages ---------------------------------------------------------------------------
        MlsMessage hello = aliceGroup.encrypt(utf8("hello Bob").toByteArray());
        byte[] onTheWire = hello.toByteArray();
        ProcessedMessage received = bobGroup.process(MlsMessage.decode(onTheWire));
        if (received instanceof ApplicationMessage m) {
            assertThat(new String(m.data().toByteArray(), StandardCharsets.UTF_8)).isEqualTo("hello Bob");
            assertThat(m.credential()).isEqualTo(alice.credential());
        }
        assertThat(aliceGroup.process(hello)).isInstanceOf(OwnMessage.class);

        // --- Carol joins by external commit from a published GroupInfo --------------------------
        SignatureIdentity carol = SignatureIdentity.generateBasic(config.crypto(), suite, utf8("carol"));
        GroupInfo info = bobGroup.groupInfo(true, true);
        ExternalJoin join = MlsGroup.joinByExternalCommit(info, Optional.empty(), carol, Optional.empty(),
                Bytes.EMPTY, config, PskLookup.none());
        MlsGroup carolGroup = join.group();
        for (MlsGroup member : List.of(aliceGroup, bobGroup)) {
            member.merge((StagedCommit) member.process(join.commit()));
        }
        assertThat(carolGroup.epochAuthenticator()).isEqualTo(aliceGroup.epochAuthenticator());

        // --- Bob removes Alice; everyone processes the commit in delivery order ----------------
        CommitOutput remove = bobGroup.commit(CommitOptions.of(new Proposal.Remove(aliceGroup.state().ownLeaf())));
        for (MlsGroup member : List.of(aliceGroup, bobGroup, carolGroup)) {
            ProcessedMessage r = member.process(remove.commit());
            if (r instanceof StagedCommit staged) {
                member.merge(staged);
            }
        }
        assertThat(aliceGroup.isActive()).isFalse();
        assertThat(carolGroup.epochAuthenticator()).isEqualTo(bobGroup.epochAuthenticator());
    }

    private static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
