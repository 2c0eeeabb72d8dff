package org.mlsbridge.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/**
 * The bot claims through a pair: every MLS client's KeyPackage of an account reaches it from the
 * account's network (a Matrix account may have several), not only one.
 */
class PairedTransportClaimsTest {
    private static final UserId BRIDGE_A = UserId.xmpp("bridge@example.org");
    private static final UserId BRIDGE_B = UserId.matrix("@bridge:example.org");

    /** A connection of {@code self} that hands out {@code kps} for anyone and supports nothing else. */
    private static Transport directory(UserId self, List<Bytes> kps) {
        return (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(), new Class<?>[] {Transport.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "self" -> self;
                    case "claimKeyPackages" -> kps;
                    case "claimKeyPackage" -> kps.stream().findFirst();
                    case "toString" -> "directory of " + self;
                    default -> throw new AssertionError("not expected here: " + method.getName());
                });
    }

    @Test
    void everyKeyPackageOfAnAccountComesFromItsNetwork() throws Exception {
        Bytes phone = Bytes.wrap(new byte[] {1});
        Bytes laptop = Bytes.wrap(new byte[] {2});
        Bytes xmppOne = Bytes.wrap(new byte[] {3});
        PairedTransport pair = new PairedTransport(directory(BRIDGE_A, List.of(xmppOne)),
                directory(BRIDGE_B, List.of(laptop, phone)),
                List.of(new PairedTransport.Pair(new RoomId("chat@muc.example.org"), new RoomId("!chat:example.org"),
                        Optional.empty())), Set.of(BRIDGE_A, BRIDGE_B));
        assertThat(pair.claimKeyPackages(UserId.matrix("@carol:example.org"))).containsExactly(laptop, phone);
        assertThat(pair.claimKeyPackage(UserId.matrix("@carol:example.org"))).contains(laptop);
        assertThat(pair.claimKeyPackages(UserId.xmpp("alice@example.org"))).containsExactly(xmppOne);
    }
}
