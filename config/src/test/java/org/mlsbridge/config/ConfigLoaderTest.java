package org.mlsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example configuration, loaded as shipped and in a folder that has its secret files. */
class ConfigLoaderTest {
    @TempDir
    Path dir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void theExampleLoadsWithEverySection() throws Exception {
        ConfigLoader.Loaded loaded = fixture.load();
        MlsbridgeConfig config = loaded.config();

        MlsbridgeConfig.ForBridge bridge = config.forBridge();
        assertThat(bridge.bridge().database()).isEqualTo(dir.resolve("state/bridge.db"));
        assertThat(bridge.bridge().keyEncryptionKeyFile()).isEqualTo(dir.resolve("secrets/kek"));
        assertThat(bridge.bridge().metricsListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9464));
        assertThat(bridge.bridge().botMode()).isEqualTo(BotMode.EXTERNAL_SENDER);
        assertThat(bridge.bridge().rooms()).containsExactly(
                new RoomPair("lounge@muc.example.org", "!lounge4f3a9c:example.org"),
                new RoomPair("dev@muc.example.org", "!dev81be02:example.org"));

        XmppAccount xmpp = bridge.xmpp();
        assertThat(xmpp.jid()).isEqualTo("bridge@example.org");
        assertThat(xmpp.uri()).isEqualTo("xmpp:bridge@example.org");
        assertThat(xmpp.host()).isEqualTo("xmpp.example.org");
        assertThat(xmpp.port()).isEqualTo(5222);
        assertThat(xmpp.password().reveal()).isEqualTo(ConfigFixture.XMPP_PASSWORD);
        assertThat(xmpp.maxStanzaBytes()).isEqualTo(262_144);

        MatrixAccount matrix = bridge.matrix();
        assertThat(matrix.homeserver().toString()).isEqualTo("https://matrix.example.org");
        assertThat(matrix.userId()).isEqualTo("@bridge:example.org");
        assertThat(matrix.uri()).isEqualTo("matrix:u/bridge:example.org");
        assertThat(matrix.password().reveal()).isEqualTo(ConfigFixture.MATRIX_PASSWORD);
        assertThat(matrix.deviceId()).isEqualTo("MLSBRIDGE");

        MlsbridgeConfig.ForClient client = config.forClient();
        assertThat(client.client()).extracting(ClientSettings::network, ClientSettings::room)
                .containsExactly(Network.XMPP, "lounge@muc.example.org");
        assertThat(client.client().database()).isEqualTo(dir.resolve("state/client.db"));
        assertThat(client.client().keyEncryptionKeyFile()).isEqualTo(dir.resolve("secrets/client-kek"));
        assertThat(client.client().bot()).contains("xmpp:bridge@example.org");

        // The key file does not exist yet: the store makes it on the first start, and says so.
        assertThat(loaded.notes()).anySatisfy(n -> assertThat(n).contains("bridge.key-encryption-key-file",
                "will be generated"));
    }

    @Test
    void theExampleAsShippedNeedsOnlyItsFilesAndSaysWhichAllAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(Map.of()).loadFile(ConfigFixture.EXAMPLE));
        assertThat(e.problems()).extracting(Problem::key).containsExactlyInAnyOrder("bridge.database",
                "bridge.key-encryption-key-file", "xmpp.password-file", "matrix.password-file", "client.database",
                "client.key-encryption-key-file");
        assertThat(e.getMessage()).contains("6 problems", "examples/state", "examples/secrets/xmpp-password");
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreLeftOut() throws Exception {
        fixture.replace("  metrics-listen: 127.0.0.1:9464\n", "").replace("  bot-mode: external-sender\n", "")
                .replace("  host: xmpp.example.org\n", "").replace("  port: 5222\n", "")
                .replace("  max-stanza-bytes: 262144\n", "").replace("  device-id: MLSBRIDGE\n", "");
        MlsbridgeConfig.ForBridge b = fixture.load().config().forBridge();
        assertThat(b.bridge().metricsListen().getPort()).isEqualTo(9464);
        assertThat(b.bridge().metricsListen().getAddress().isLoopbackAddress()).isTrue();
        assertThat(b.bridge().botMode()).isEqualTo(BotMode.EXTERNAL_SENDER);
        assertThat(b.xmpp().host()).isEqualTo("example.org");
        assertThat(b.xmpp().port()).isEqualTo(5222);
        assertThat(b.xmpp().maxStanzaBytes()).isEqualTo(256 * 1024);
        assertThat(b.matrix().deviceId()).isEqualTo("MLSBRIDGE");
    }

    @Test
    void otherAcceptedForms() throws Exception {
        fixture.replace("bot-mode: external-sender", "bot-mode: member")
                .replace("metrics-listen: 127.0.0.1:9464", "metrics-listen: \"[::1]:9100\"")
                .replace("jid: xmpp:bridge@example.org", "jid: bridge@example.org")
                .replace("homeserver: https://matrix.example.org", "homeserver: http://127.0.0.1:8008")
                .replace("user-id: \"@bridge:example.org\"", "user-id: matrix:u/bridge:example.org")
                .replace("network: xmpp", "network: matrix")
                .replace("room: lounge@muc.example.org", "room: \"!lounge4f3a9c:example.org\"")
                .replace("bot: xmpp:bridge@example.org", "bot: matrix:u/bridge:example.org");
        MlsbridgeConfig c = fixture.load().config();
        assertThat(c.forBridge().bridge().botMode()).isEqualTo(BotMode.MEMBER);
        assertThat(c.forBridge().bridge().metricsListen().getPort()).isEqualTo(9100);
        assertThat(c.forBridge().xmpp().uri()).isEqualTo("xmpp:bridge@example.org");
        assertThat(c.forBridge().matrix().homeserver().getPort()).isEqualTo(8008);
        assertThat(c.forBridge().matrix().userId()).isEqualTo("@bridge:example.org");
        assertThat(c.forClient().client()).extracting(ClientSettings::network, ClientSettings::room)
                .containsExactly(Network.MATRIX, "!lounge4f3a9c:example.org");
        assertThat(c.forClient().client().bot()).contains("matrix:u/bridge:example.org");
    }

    @Test
    void aBridgedRoomIsSaidSoAndDefaultsToNot() throws Exception {
        assertThat(fixture.load().config().forClient().client().bridged()).isFalse();
        fixture.replace("bridged: false", "bridged: true");
        assertThat(fixture.load().config().forClient().client().bridged()).isTrue();
        fixture.replace("  bot: xmpp:bridge@example.org\n", "");
        ConfigException e = catchThrowableOfType(ConfigException.class, fixture::load);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("client.bridged");
            assertThat(p.problem()).contains("needs its bot");
        });
    }

    @Test
    void aFileWithOnlyWhatTheClientNeeds() throws Exception {
        fixture.yaml = """
                matrix:
                  homeserver: https://matrix.example.org
                  user-id: "@alice:example.org"
                  password-file: secrets/matrix-password
                client:
                  network: matrix
                  room: "!lounge4f3a9c:example.org"
                """;
        MlsbridgeConfig c = fixture.load().config();
        assertThat(c.forClient().matrix()).isPresent();
        assertThat(c.forClient().xmpp()).isEmpty();
        assertThat(c.forClient().client().database()).isEqualTo(dir.resolve(ClientSettings.DEFAULT_DATABASE));
        assertThat(c.forClient().client().keyEncryptionKeyFile())
                .isEqualTo(dir.resolve(ClientSettings.DEFAULT_KEY_ENCRYPTION_KEY_FILE));
        assertThat(c.forClient().client().bot()).isEmpty();
        ConfigException e = catchThrowableOfType(ConfigException.class, c::forBridge);
        assertThat(e.problems()).extracting(Problem::key).containsExactly("bridge", "xmpp");
    }

    @Test
    void theClientsBotIsAnAccountOnItsNetwork() throws Exception {
        fixture.replace("bot: xmpp:bridge@example.org", "bot: \"@bridge:example.org\"");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> fixture.load());
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.key()).isEqualTo("client.bot"));
        fixture.replace("bot: \"@bridge:example.org\"", "bot: bridge@example.org");
        assertThat(fixture.load().config().forClient().client().bot()).contains("xmpp:bridge@example.org");
    }

    @Test
    void aBridgeOnlyFileHasNoClient() throws Exception {
        fixture.yaml = fixture.yaml.substring(0, fixture.yaml.indexOf("client:"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> fixture.load().config().forClient());
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("client");
            assertThat(p.fix()).contains("network", "room");
        });
    }

    @Test
    void severalProblemsAreReportedTogether() {
        fixture.replace("port: 5222", "port: 70000").replace("bot-mode: external-sender", "bot-mode: bystander")
                .replace("user-id: \"@bridge:example.org\"", "user-id: bridge");
        ConfigException e = catchThrowableOfType(ConfigException.class, fixture::load);
        assertThat(e.problems()).extracting(Problem::key).containsExactly("bridge.bot-mode", "xmpp.port",
                "matrix.user-id");
        assertThat(e.getMessage()).startsWith(dir.resolve("mlsbridge.yaml") + ": 3 problems");
        assertThat(e.getMessage().lines().count()).isEqualTo(4);
    }

    @Test
    void secretsNeverShowInToStringOrErrors() throws Exception {
        MlsbridgeConfig c = fixture.load().config();
        assertThat(c.toString()).doesNotContain(ConfigFixture.XMPP_PASSWORD, ConfigFixture.MATRIX_PASSWORD)
                .contains("redacted");
        fixture.secret("secrets/kek", "c2VjcmV0LWtleS1ub3QtMzItYnl0ZXM=\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, fixture::load);
        assertThat(e.getMessage()).contains("holds 23 bytes").doesNotContain("c2VjcmV0");
    }

    @Test
    void aMissingConfigurationFile() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(Map.of()).loadFile(dir.resolve("nope.yaml")));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.describe())
                .isEqualTo("(file): no such file. Fix: give the path of the configuration file (an example: "
                        + "config/examples/mlsbridge.example.yaml, or 'mlsbridge config example')"));
    }

    @Test
    void theExampleShipsInTheJarToo() throws Exception {
        assertThat(ExampleConfig.text()).isEqualTo(Files.readString(ConfigFixture.EXAMPLE));
    }
}
