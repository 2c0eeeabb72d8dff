package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.CommitOptions;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.ValidationPolicy;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.InMemoryMlsStorage;

/**
 * The external-sender bot decodes a room's GroupInfo (and its ratchet tree) under the library's
 * tree-size policy of its own configuration: a tree over the cap gives no view, before any
 * per-leaf work.
 */
class PublicViewTreeCapTest {
    private static MlsClient client(String name, GroupConfig config) {
        return MlsClient.of(SignatureIdentity.generateBasic(config.crypto(), ClientOptions.DEFAULT.suite(),
                Bytes.wrap(("xmpp:" + name + "@example.org").getBytes(StandardCharsets.UTF_8))),
                new InMemoryMlsStorage(), config);
    }

    private static KeyPackage keyPackage(String name, GroupConfig config) throws Exception {
        return MlsMessage.decodeKeyPackage(client(name, config).createKeyPackage().encode());
    }

    @Test
    void aGroupInfoWhoseTreeIsOverTheBotsCapGivesNoView() throws Exception {
        GroupConfig config = ClientOptions.DEFAULT.groupConfig();
        MlsGroup alice = client("alice", config).createGroup();
        alice.commitAndMerge(CommitOptions.of(new Proposal.Add(keyPackage("bob", config)),
                new Proposal.Add(keyPackage("carol", config))));
        Bytes groupInfo = MlsMessage.of(alice.groupInfo(true, false)).encode();

        assertThat(PublicView.decode(groupInfo, ClientOptions.DEFAULT)).isPresent();
        ClientOptions capped = new ClientOptions(ClientOptions.DEFAULT.suite(),
                config.withValidation(ValidationPolicy.DEFAULT.withMaxLeaves(2)), ClientOptions.DEFAULT.keyPackagePool(),
                ClientOptions.DEFAULT.maxCommitDelay());
        assertThat(PublicView.decode(groupInfo, capped)).isEmpty();
    }
}
