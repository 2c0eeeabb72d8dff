package org.mlsbridge.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.KeyPackageBundle;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.Welcome;

/** In-process clients for end-to-end tests of the sending side: each holds its identity and, once in, its group. */
final class Clients {
    static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

    private Clients() {
    }

    static final class Client {
        final String name;
        final SignatureIdentity identity;
        KeyPackageBundle bundle;
        MlsGroup group;
        PskLookup psks = PskLookup.none();
        GroupConfig config = GroupConfig.DEFAULT;

        Client(String name) throws MlsException {
            this.name = name;
            this.identity = SignatureIdentity.generateBasic(GroupConfig.DEFAULT.crypto(), SUITE,
                    Bytes.wrap(name.getBytes(StandardCharsets.UTF_8)));
            this.bundle = KeyPackageBuilder.forIdentity(identity).build();
        }

        MlsGroup create(List<Extension> extensions) throws MlsException {
            group = MlsGroup.create(identity, extensions, config, psks);
            return group;
        }

        MlsGroup join(Welcome welcome) throws MlsException {
            group = MlsGroup.join(welcome, JoinKeys.of(bundle, identity), config, psks);
            return group;
        }

        /** Processes a message from the delivery service, merging any commit. */
        ProcessedMessage receive(MlsMessage m) throws MlsException {
            ProcessedMessage r = group.process(m);
            if (r instanceof StagedCommit s) {
                group.merge(s);
            }
            return r;
        }

        String read(MlsMessage m) throws MlsException {
            ApplicationMessage a = (ApplicationMessage) group.process(m);
            return new String(a.data().toByteArray(), StandardCharsets.UTF_8);
        }

        MlsMessage say(String text) throws MlsException {
            return group.encrypt(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static List<Client> clients(String... names) throws MlsException {
        List<Client> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Client(n));
        }
        return out;
    }

    /**
     * The first client creates a group and adds the others in one commit; everyone ends in epoch 1.
     */
    static List<Client> group(String... names) throws MlsException {
        List<Client> cs = clients(names);
        Client creator = cs.get(0);
        creator.create(List.of());
        CommitOptions options = CommitOptions.empty();
        for (Client c : cs.subList(1, cs.size())) {
            options = options.withValues(List.of(new org.mlsbridge.mls.message.Proposal.Add(c.bundle.keyPackage())));
        }
        CommitOutput out = creator.group.commit(options);
        deliver(cs.subList(0, 1), out.commit());
        for (Client c : cs.subList(1, cs.size())) {
            c.join(out.welcome().orElseThrow());
        }
        assertAgree(cs);
        return cs;
    }

    /** Delivers one message to every client, in order, merging commits (the committer's echo included). */
    static void deliver(List<Client> to, MlsMessage m) throws MlsException {
        for (Client c : to) {
            c.receive(m);
        }
    }

    static void assertAgree(List<Client> cs) {
        Bytes auth = cs.get(0).group.epochAuthenticator();
        for (Client c : cs) {
            assertThat(c.group.epoch()).as(c.name + "'s epoch").isEqualTo(cs.get(0).group.epoch());
            assertThat(c.group.epochAuthenticator()).as(c.name + "'s epoch authenticator").isEqualTo(auth);
        }
    }

    static Optional<Client> none() {
        return Optional.empty();
    }
}
