package org.mlsbridge.bridge.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.crypto.CipherSuite;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.KeyPackage;
import org.mlsbridge.mls.message.LeafNode;

/** The binding rules of the default authentication service, and trust on first use. */
class AuthenticationServiceTest {
    private static final CipherSuite SUITE = CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    private static final CryptoProvider CRYPTO = GroupConfig.DEFAULT.crypto();
    private final AuthenticationService as = new DefaultAuthenticationService();
    private final UserId alice = UserId.xmpp("alice@example.org");
    private final UserId bob = UserId.matrix("@bob:example.org");

    private static KeyPackage keyPackage(String identity) throws Exception {
        SignatureIdentity id = SignatureIdentity.generateBasic(CRYPTO, SUITE,
                Bytes.wrap(identity.getBytes(StandardCharsets.UTF_8)));
        return KeyPackageBuilder.forIdentity(id).build().keyPackage();
    }

    private static LeafNode leaf(String identity) throws Exception {
        return keyPackage(identity).leafNode();
    }

    @Test
    void accountsAreUrisOfEitherNetwork() {
        assertThat(alice.value()).isEqualTo("xmpp:alice@example.org");
        assertThat(bob.value()).isEqualTo("matrix:u/bob:example.org");
        assertThat(bob.address()).isEqualTo("@bob:example.org");
        for (String bad : List.of("alice", "@bob:example.org", "xmpp:", "xmpp:alice@example.org/phone",
                "matrix:u/bob", "matrix:u/:example.org", "xmpp:a" + (char) 0 + "b@x", " ", "mailto:a@b")) {
            assertThat(UserId.isValid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aClaimedKeyPackageMustNameTheAccountItWasClaimedFor() throws Exception {
        as.checkClaimed(alice, keyPackage(alice.value()));
        assertThatThrownBy(() -> as.checkClaimed(bob, keyPackage(alice.value()))).isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).rule()).isEqualTo(Refusal.Rule.KEY_PACKAGE_IDENTITY));
        assertThatThrownBy(() -> as.checkClaimed(bob, keyPackage("not a uri"))).isInstanceOf(Refusal.class);
    }

    @Test
    void anExternalJoinIsTheSendersOwnAndResyncsOnlyItsOwnLeaf() throws Exception {
        RoomPolicy p = RoomPolicy.DEFAULT;
        as.checkExternalJoin(alice, leaf(alice.value()), Optional.empty(), p);
        as.checkExternalJoin(alice, leaf(alice.value()), Optional.of(leaf(alice.value())), p);
        assertRule(() -> as.checkExternalJoin(bob, leaf(alice.value()), Optional.empty(), p),
                Refusal.Rule.EXTERNAL_JOIN_IMPERSONATION);
        assertRule(() -> as.checkExternalJoin(bob, leaf(bob.value()), Optional.of(leaf(alice.value())), p),
                Refusal.Rule.EXTERNAL_JOIN_REFUSED);
        assertRule(() -> as.checkExternalJoin(alice, leaf(alice.value()), Optional.empty(),
                p.withExternalJoins(RoomPolicy.ExternalJoins.RESYNC_ONLY)), Refusal.Rule.EXTERNAL_JOIN_REFUSED);
        assertRule(() -> as.checkExternalJoin(alice, leaf(alice.value()), Optional.of(leaf(alice.value())),
                p.withExternalJoins(RoomPolicy.ExternalJoins.NONE)), Refusal.Rule.EXTERNAL_JOIN_REFUSED);
    }

    @Test
    void anUpdateOrCommitPathKeepsItsLeafsIdentity() throws Exception {
        as.checkReplacement(leaf(alice.value()), leaf(alice.value()));
        assertRule(() -> as.checkReplacement(leaf(alice.value()), leaf(bob.value())), Refusal.Rule.IDENTITY_CHANGE);
        assertRule(() -> as.checkReplacement(leaf(alice.value()), leaf("nobody")), Refusal.Rule.INVALID_IDENTITY);
    }

    @Test
    void signatureKeysArePinnedOnFirstUseAndChangesReported() throws Exception {
        Map<UserId, List<Bytes>> pins = new HashMap<>();
        KeyPins.Store store = new KeyPins.Store() {
            @Override
            public List<Bytes> pinned(UserId identity) {
                return pins.getOrDefault(identity, List.of());
            }

            @Override
            public void pin(UserId identity, Bytes key) {
                pins.computeIfAbsent(identity, x -> new ArrayList<>()).add(key);
            }
        };
        RoomId room = new RoomId("r");
        Bytes first = leaf(alice.value()).signatureKey();
        Bytes second = leaf(alice.value()).signatureKey();
        Instant now = Instant.now();
        assertThat(KeyPins.observe(store, room, alice, first, RoomPolicy.DEFAULT, now)).isEmpty();
        assertThat(KeyPins.observe(store, room, alice, first, RoomPolicy.DEFAULT, now)).isEmpty();
        KeyChange change = KeyPins.observe(store, room, alice, second, RoomPolicy.DEFAULT, now).orElseThrow();
        assertThat(change.fingerprint()).isEqualTo(Fingerprint.of(second)).matches("([0-9a-f]{4} ){15}[0-9a-f]{4}");
        assertThat(change.earlier()).containsExactly(Fingerprint.of(first));
        Bytes third = leaf(alice.value()).signatureKey();
        assertRule(() -> KeyPins.observe(store, room, alice, third,
                RoomPolicy.DEFAULT.withKeyChanges(RoomPolicy.KeyChanges.REFUSE), now), Refusal.Rule.KEY_CHANGE_REFUSED);
        assertThat(KeyPins.isPinned(store, alice, third)).isFalse();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertRule(Call call, Refusal.Rule rule) {
        assertThatThrownBy(call::run).isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).rule()).isEqualTo(rule));
    }
}
