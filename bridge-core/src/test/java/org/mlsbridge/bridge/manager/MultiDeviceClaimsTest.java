package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.keys.KeyPackageBuilder;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * A directory that hands out one KeyPackage per MLS client of an account (as Matrix does per
 * device): the member-mode bot adds a leaf for each, and refuses the whole account when one of
 * them names another account.
 */
class MultiDeviceClaimsTest {
    @TempDir
    Path dir;

    /** {@code inner}, whose {@code claimKeyPackages} also hands out {@code extra} KeyPackages per user. */
    private static Transport withMoreClients(Transport inner, Map<UserId, Bytes> extra) {
        return (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(), new Class<?>[] {Transport.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("claimKeyPackages") && extra.containsKey(args[0])) {
                        List<Bytes> out = new ArrayList<>(inner.claimKeyPackages((UserId) args[0]));
                        out.add(extra.get(args[0]));
                        return out;
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Bytes keyPackageNaming(Harness h, UserId from, UserId named) throws Exception {
        return MlsMessage.of(KeyPackageBuilder.forIdentity(new Attacker(h.net, from).identityNaming(named, h.options))
                .build().keyPackage()).encode();
    }

    @Test
    void memberModeBotAddsEveryClientOfAnAccountAndRefusesAnAccountWithAForeignOne() throws Exception {
        try (Harness h = new Harness(dir)) {
            RoomId room = new RoomId("devices@muc.example");
            UserId botUser = Harness.user("mm-bot");
            UserId carol = Harness.user("carol");
            UserId mallory = Harness.user("mallory");
            UserId alice = Harness.user("alice");
            h.net.join(room, botUser);
            Map<UserId, Bytes> extra = Map.of(carol, keyPackageNaming(h, carol, carol), // carol's second client
                    mallory, keyPackageNaming(h, mallory, alice)); // and one of mallory's names alice
            try (MemberModeBot bot = new MemberModeBot(withMoreClients(h.net.connect(botUser), extra),
                    h.store(botUser), h.options)) {
                bot.manage(room);
                MemberClient carolsLaptop = h.member("carol");
                MemberClient mallorys = h.member("mallory");
                h.net.join(room, carol);
                h.net.join(room, mallory);
                for (int i = 0; i < 400 && (carolsLaptop.epoch(room).isEmpty() || bot.client().hasDueWork()); i++) {
                    bot.step(100, Duration.ZERO);
                    carolsLaptop.step(100, Duration.ZERO);
                    mallorys.step(100, Duration.ZERO);
                    Thread.sleep(5);
                }
                assertThat(bot.client().groupMembers(room)).containsExactlyInAnyOrder(botUser, carol, carol);
                assertThat(carolsLaptop.epochAuthenticator(room)).isEqualTo(bot.client().epochAuthenticator(room));
                assertThat(bot.counters().dropped(DropReason.KEY_PACKAGE_IDENTITY)).isEqualTo(1);
                assertThat(mallorys.epoch(room)).isEmpty();
                assertThat(bot.legacyUsers(room)).isEmpty();
            }
        }
    }
}
