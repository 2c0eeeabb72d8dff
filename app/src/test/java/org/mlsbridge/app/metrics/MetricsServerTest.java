package org.mlsbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.manager.ExternalSenderBot;
import org.mlsbridge.bridge.manager.MemberClient;
import org.mlsbridge.bridge.manager.SqliteClientStore;
import org.mlsbridge.bridge.store.KeyEncryptionKey;
import org.mlsbridge.bridge.store.SqliteStore;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;

/** The endpoint scraped over HTTP, fed by real member clients that exchanged a message and met garbage. */
class MetricsServerTest {
    private static final RoomId ROOM = new RoomId("lounge@muc.example.org");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void scrapesCountersRoomsAndHealth() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork();
        net.createRoom(ROOM);
        ClientOptions options = ClientOptions.DEFAULT.withMaxCommitDelay(Duration.ofMillis(10));
        UserId botUser = UserId.xmpp("bot@example.org");
        UserId aliceUser = UserId.xmpp("alice@example.org");
        UserId bobUser = UserId.xmpp("bob@example.org");
        net.join(ROOM, botUser);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            ExternalSenderBot bot = new ExternalSenderBot(net.connect(botUser), store("bot"), options);
            open.add(bot);
            MemberClient alice = new MemberClient(net.connect(aliceUser), store("alice"), options);
            open.add(alice);
            net.join(ROOM, aliceUser);
            alice.createGroup(ROOM, List.of(alice.externalSenderOf(botUser)));
            MemberClient bob = new MemberClient(net.connect(bobUser), store("bob"), options);
            open.add(bob);
            net.join(ROOM, bobUser);
            settle(bot, alice, bob);
            assertThat(bob.epoch(ROOM)).isPresent();
            alice.send(ROOM, Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            UserId mallory = UserId.xmpp("mallory@example.org");
            net.join(ROOM, mallory);
            Transport m = net.connect(mallory);
            m.sendToRoom(ROOM, new ClientMessageId("garbage-1"), Bytes.wrap(new byte[] {0, 1, 2, 3}));
            settle(bot, alice, bob);
            assertThat(bob.received()).hasSize(1);

            SourceSnapshot aliceSource = snapshot(alice, 4);
            SourceSnapshot bobSource = snapshot(bob, 3);
            bobSource.error();
            try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    List.of(aliceSource, bobSource))) {
                String text = get(server, "/metrics", 200);
                String a = "{source=\"xmpp:alice@example.org\"}";
                String b = "{source=\"xmpp:bob@example.org\"}";
                assertThat(value(text, "mlsbridge_messages_out_total" + a)).isEqualTo(1);
                assertThat(value(text, "mlsbridge_messages_in_total" + b)).isEqualTo(1);
                assertThat(value(text, "mlsbridge_messages_in_total" + a)).isZero();
                assertThat(value(text, "mlsbridge_errors_total" + b)).isEqualTo(1);
                assertThat(value(text, "mlsbridge_key_packages_available" + a)).isEqualTo(4);
                String room = "{room=\"" + ROOM.value() + "\",source=\"xmpp:bob@example.org\"}";
                assertThat(value(text, "mlsbridge_room_epoch" + room)).isEqualTo((double) bob.epoch(ROOM).orElseThrow());
                assertThat(value(text, "mlsbridge_room_members" + room)).isEqualTo(2);
                long bobDrops = bob.counters().droppedByReason().values().stream().mapToLong(Long::longValue).sum();
                assertThat(bobDrops).isPositive();
                assertThat(sum(text, "mlsbridge_dropped_total\\{reason=\"[a-z_]+\",source=\"xmpp:bob@example.org\"\\}"))
                        .isEqualTo(bobDrops);

                assertThat(get(server, "/health", 200)).isEqualTo("ok\n");
                bobSource.setHealthy(false);
                assertThat(get(server, "/health", 503)).contains("xmpp:bob@example.org");
                get(server, "/nothing", 404);
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void refusesAnAddressOtherThanLoopback() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsServer.start(any, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    private static SourceSnapshot snapshot(MemberClient c, int keyPackages) {
        SourceSnapshot s = new SourceSnapshot(c.self().value(), c.counters());
        s.update(List.of(new MetricsSource.RoomStatus(ROOM.value(), c.epoch(ROOM).orElseThrow(),
                c.groupMembers(ROOM).size())), OptionalInt.of(keyPackages));
        return s;
    }

    private SqliteClientStore store(String name) {
        byte[] k = new byte[KeyEncryptionKey.LENGTH];
        k[0] = 3;
        return new SqliteClientStore(SqliteStore.open(dir.resolve(name + ".db"), KeyEncryptionKey.of(k)));
    }

    private static void settle(ExternalSenderBot bot, MemberClient... members) throws Exception {
        int quiet = 0;
        for (int round = 0; round < 2_000 && quiet < 3; round++) {
            int n = bot.step(500, Duration.ZERO);
            boolean due = false;
            for (MemberClient c : members) {
                n += c.step(500, Duration.ZERO);
                due |= c.hasDueWork();
            }
            quiet = n == 0 && !due ? quiet + 1 : 0;
            if (due) {
                Thread.sleep(5);
            }
        }
    }

    private String get(MetricsServer server, String path, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return r.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(series + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static long sum(String text, String seriesRegex) {
        Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(text);
        long total = 0;
        while (m.find()) {
            total += (long) Double.parseDouble(m.group(1));
        }
        return total;
    }
}
