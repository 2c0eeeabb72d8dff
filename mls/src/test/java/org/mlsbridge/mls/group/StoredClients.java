package org.mlsbridge.mls.group;

import java.nio.charset.StandardCharsets;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.storage.MlsStorage;

/** Clients whose groups save themselves in a storage, restarted as a program would be: for the persistence tests. */
final class StoredClients {
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    static final GroupConfig CONFIG = GroupConfig.DEFAULT;

    private StoredClients() {
    }

    static MlsClient client(String name, MlsStorage storage) {
        return MlsClient.of(SignatureIdentity.generateBasic(CONFIG.crypto(), SUITE, utf8(name)), storage, CONFIG);
    }

    /** The same person's client after a restart of the program: same identity and storage, nothing in memory. */
    static MlsClient restarted(MlsClient client) {
        return MlsClient.of(client.identity(), client.storage(), CONFIG);
    }

    /** Alice's and Bob's groups, Bob added by Alice's merged commit. */
    static MlsGroup[] pair(MlsClient alice, MlsClient bob) throws MlsException {
        MlsGroup a = alice.createGroup();
        CommitOutput add = a.commitAndMerge(CommitOptions.of(new Proposal.Add(
                MlsMessage.decodeKeyPackage(bob.createKeyPackage().encode()))));
        return new MlsGroup[] {a, bob.join(add.welcome().orElseThrow())};
    }

    static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
