package org.mlsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation error, each made by one edit of the example: the error names the key, says
 * what is wrong and how to fix it, and is the only problem reported.
 */
class ValidationErrorsTest {
    @TempDir
    Path dir;

    static Arguments edit(String from, String to, String key, String problem, String fix) {
        return Arguments.of(from, to, key, problem, fix);
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                // bridge
                edit("  database: state/bridge.db\n", "", "bridge.database", "missing", "SQLite file"),
                edit("database: state/bridge.db", "database: nowhere/bridge.db", "bridge.database",
                        "nowhere does not exist", "mkdir -p"),
                edit("database: state/bridge.db", "database: state", "bridge.database", "is a folder", "state/bridge.db"),
                edit("  key-encryption-key-file: secrets/kek\n", "", "bridge.key-encryption-key-file", "missing",
                        "generated on the first start"),
                edit("key-encryption-key-file: secrets/kek", "key-encryption-key-file: gone/kek",
                        "bridge.key-encryption-key-file", "neither the key file", "mkdir -p"),
                edit("metrics-listen: 127.0.0.1:9464", "metrics-listen: 0.0.0.0:9464", "bridge.metrics-listen",
                        "'0.0.0.0' is not a loopback address", "127.0.0.1:9464"),
                edit("metrics-listen: 127.0.0.1:9464", "metrics-listen: metrics.example.org:9464",
                        "bridge.metrics-listen", "not a loopback address", "loopback"),
                edit("metrics-listen: 127.0.0.1:9464", "metrics-listen: 127.0.0.1", "bridge.metrics-listen",
                        "not of the form host:port", "127.0.0.1:9464"),
                edit("metrics-listen: 127.0.0.1:9464", "metrics-listen: 127.0.0.1:99999", "bridge.metrics-listen",
                        "out of range", "loopback address and port"),
                edit("metrics-listen: 127.0.0.1:9464", "metrics-listen: 127.0.0.1:http", "bridge.metrics-listen",
                        "'http' is not a port number", "loopback"),
                edit("bot-mode: external-sender", "bot-mode: bystander", "bridge.bot-mode",
                        "'bystander' is not a bot mode", "[external-sender, member]"),
                edit("bot-mode: external-sender", "bot-mode: [member]", "bridge.bot-mode",
                        "must be a single value, not a list", "one value"),
                edit(roomsBlock(), "  rooms: []\n", "bridge.rooms", "no room pairs", "- xmpp:"),
                edit(roomsBlock(), "  rooms: lounge@muc.example.org\n", "bridge.rooms", "must be a list", "- xmpp:"),
                edit("    - xmpp: lounge@muc.example.org\n", "    - lounge@muc.example.org\n    - xmpp: x@muc.example.org\n",
                        "bridge.rooms[0]", "must be a mapping", "xmpp"),
                edit("xmpp: lounge@muc.example.org", "xmpp: lounge@muc.example.org/alice", "bridge.rooms[0].xmpp",
                        "has a resource ('/alice')", "without a nickname"),
                edit("xmpp: lounge@muc.example.org", "xmpp: muc.example.org", "bridge.rooms[0].xmpp",
                        "has no local part", "room@conference-service"),
                edit("xmpp: lounge@muc.example.org", "xmpp: lo unge@muc.example.org", "bridge.rooms[0].xmpp",
                        "contains ' '", "bare address"),
                edit("\"!lounge4f3a9c:example.org\"", "\"#lounge:example.org\"", "bridge.rooms[0].matrix",
                        "is a room alias", "starts with '!'"),
                edit("\"!lounge4f3a9c:example.org\"", "\"!lounge4f3a9c\"", "bridge.rooms[0].matrix",
                        "not of the form !opaque:server", "room id"),
                edit("matrix: \"!lounge4f3a9c:example.org\"", "matrix: !lounge4f3a9c:example.org",
                        "bridge.rooms[0].matrix", "missing", "in quotes"),
                edit("matrix: \"!dev81be02:example.org\"", "matrix: \"!lounge4f3a9c:example.org\"",
                        "bridge.rooms[1].matrix", "already bridged by rooms[0]", "remove one"),
                edit("      matrix: \"!dev81be02:example.org\"\n",
                        "      matrix: \"!dev81be02:example.org\"\n      matrx: extra\n", "bridge.rooms[1].matrx",
                        "unknown key (did you mean 'matrix'?)", "xmpp, matrix"),
                edit("  bot-mode: external-sender\n", "  bot-mode: external-sender\n  botmode: member\n",
                        "bridge.botmode", "unknown key (did you mean 'bot-mode'?)", "remove it"),
                // xmpp
                edit("jid: xmpp:bridge@example.org", "jid: bridge", "xmpp.jid", "has no local part", "user@domain"),
                edit("jid: xmpp:bridge@example.org", "jid: xmpp:bridge@example.org/desk", "xmpp.jid",
                        "has a resource", "bare address"),
                edit("jid: xmpp:bridge@example.org", "jid: bridge@exa mple.org", "xmpp.jid", "not a domain name",
                        "user@domain"),
                edit("  jid: xmpp:bridge@example.org\n", "", "xmpp.jid", "missing", "xmpp:bridge@example.org"),
                edit("host: xmpp.example.org", "host: xmpp_example!org", "xmpp.host", "not a domain name",
                        "leave it out"),
                edit("port: 5222", "port: five", "xmpp.port", "'five' is not a whole number", "5222"),
                edit("port: 5222", "port: 70000", "xmpp.port", "70000 is out of range (1 to 65535)", "5222"),
                edit("port: 5222", "port: [5222, 5223]", "xmpp.port", "must be a single value", "one value"),
                edit("xmpp-password", "xmpp-pass", "xmpp.password-file", "does not exist", "chmod 600"),
                edit("  password-file: secrets/xmpp-password\n", "", "xmpp.password-file", "missing",
                        "/etc/mlsbridge/xmpp-password"),
                edit("password-file: secrets/xmpp-password", "password-file: secrets", "xmpp.password-file",
                        "is a folder", "name the file"),
                edit("max-stanza-bytes: 262144", "max-stanza-bytes: 1000", "xmpp.max-stanza-bytes",
                        "out of range", "c2s_stanza_size_limit"),
                edit("  port: 5222\n", "  port: 5222\n  pasword-file: x\n", "xmpp.pasword-file",
                        "unknown key (did you mean 'password-file'?)", "remove it"),
                // matrix
                edit("homeserver: https://matrix.example.org", "homeserver: http://matrix.example.org",
                        "matrix.homeserver", "is not https", "https://"),
                edit("homeserver: https://matrix.example.org", "homeserver: matrix.example.org", "matrix.homeserver",
                        "not an absolute URL", "https://matrix.example.org"),
                edit("homeserver: https://matrix.example.org", "homeserver: https://matrix.example.org/?x=1",
                        "matrix.homeserver", "has a query", "https://"),
                edit("user-id: \"@bridge:example.org\"", "user-id: bridge:example.org", "matrix.user-id",
                        "does not start with '@'", "@name:server"),
                edit("user-id: \"@bridge:example.org\"", "user-id: \"@bridge\"", "matrix.user-id",
                        "has no server name", "@name:server"),
                edit("device-id: MLSBRIDGE", "device-id: my laptop", "matrix.device-id",
                        "not a usable device id", "1 to 64 letters"),
                edit("device-id: MLSBRIDGE", "device-id: " + "D".repeat(57), "matrix.device-id",
                        "57 characters, too long for the bridge", "at most 56 characters"),
                edit("matrix-password", "nope", "matrix.password-file", "does not exist", "correct the path"),
                // client
                edit("network: xmpp", "network: irc", "client.network", "'irc' is not a network", "[xmpp, matrix]"),
                edit("bridged: false", "bridged: maybe", "client.bridged", "'maybe' is not true or false",
                        "bridged: true"),
                edit("room: lounge@muc.example.org\n", "room: \"!lounge4f3a9c:example.org\"\n", "client.room",
                        "has no local part", "room@conference-service"),
                edit("  room: lounge@muc.example.org\n", "", "client.room", "missing", "room:"),
                edit("    - xmpp: xmpp:dev@muc.example.org         # the xmpp: URI form works too\n",
                        "    - # no xmpp room here\n", "bridge.rooms[1].xmpp", "missing", "lounge@muc.example.org"),
                edit("xmpp: xmpp:dev@muc.example.org", "xmpp: xmpp:lounge@muc.example.org", "bridge.rooms[1].xmpp",
                        "'lounge@muc.example.org' is already bridged by rooms[0]", "remove one"),
                edit("database: state/bridge.db", "database: \"state/bri\\0dge.db\"", "bridge.database",
                        "is not a valid path", "file path"),
                edit("jid: xmpp:bridge@example.org", "jid: xmpp:bridge@example.org?message", "xmpp.jid",
                        "has a query", "bare address"),
                edit("jid: xmpp:bridge@example.org", "jid: bridge@", "xmpp.jid", "the domain (the part after '@') is empty",
                        "user@domain"),
                edit("jid: xmpp:bridge@example.org", "jid: " + "b".repeat(1024) + "@example.org", "xmpp.jid",
                        "is too long", "user@domain"),
                edit("homeserver: https://matrix.example.org", "homeserver: \"https://matrix example.org\"",
                        "matrix.homeserver", "is not a URL", "https://"),
                edit("user-id: \"@bridge:example.org\"", "user-id: \"@bri dge:example.org\"", "matrix.user-id",
                        "the local part 'bri dge' is empty or has characters", "@name:server"),
                edit("user-id: \"@bridge:example.org\"", "user-id: \"@bridge:exa_mple!org\"", "matrix.user-id",
                        "is not a server name", "@name:server"),
                edit("user-id: \"@bridge:example.org\"", "user-id: \"@" + "b".repeat(250) + ":example.org\"",
                        "matrix.user-id", "longer than 255 characters", "@name:server"),
                edit("network: xmpp\n  # The room to join, named as that network names rooms.\n  room: lounge@muc.example.org",
                        "network: matrix\n  room: lounge@muc.example.org", "client.room", "does not start with '!'",
                        "room id"),
                // file level
                edit("client:\n", "clients:\n", "clients", "unknown section (did you mean 'client'?)",
                        "bridge, xmpp, matrix, client"),
                edit("client:\n  # Which", "client: xmpp\nunused:\n  # Which", "client",
                        "must be a mapping of keys", "indent its keys"));
    }

    private static String roomsBlock() {
        try {
            String example = Files.readString(ConfigFixture.EXAMPLE);
            int start = example.indexOf("  rooms:\n");
            int end = example.indexOf("\nxmpp:");
            return example.substring(start, end);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{2}: {3}")
    @MethodSource("edits")
    void oneEditOneClearProblem(String from, String to, String key, String problem, String fix) {
        ConfigFixture f = new ConfigFixture(dir).replace(from, to);
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e).as("a ConfigException").isNotNull();
        // The 'unused:' section of the last case is a second, expected problem.
        Problem p = e.problems().stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow(
                () -> new AssertionError("no problem for " + key + " in " + e.problems()));
        assertThat(p.problem()).contains(problem);
        assertThat(p.fix()).contains(fix);
        assertThat(e.problems()).as("only the edited key is reported").allMatch(
                x -> x.key().equals(key) || x.key().equals("unused"));
        assertThat(p.describe()).doesNotContain("Exception", "com.fasterxml");
    }

    @Test
    void anyLoopbackAddressServesTheMetrics() throws Exception {
        ConfigFixture f = new ConfigFixture(dir).replace("metrics-listen: 127.0.0.1:9464", "metrics-listen: 127.0.0.2:9464");
        assertThat(f.load().config().bridge().orElseThrow().metricsListen().getAddress().getHostAddress())
                .isEqualTo("127.0.0.2");
        f.replace("metrics-listen: 127.0.0.2:9464", "metrics-listen: localhost:9464");
        assertThat(f.load().config().bridge().orElseThrow().metricsListen().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aKeyFileThatIsNotBase64() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        f.secret("secrets/kek", "this is not a key\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("bridge.key-encryption-key-file");
            assertThat(p.problem()).contains("does not hold base64");
            assertThat(p.fix()).contains("restore it from its backup");
        });
    }

    @Test
    void aWellFormedKeyFileIsAccepted() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        f.secret("secrets/kek", java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        f.secret("secrets/client-kek", java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertThat(f.load().notes()).noneMatch(n -> n.contains("key-encryption-key-file"));
    }

    @Test
    void anEmptyPasswordFile() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        f.secret("secrets/matrix-password", "\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("matrix.password-file");
            assertThat(p.problem()).endsWith("is empty");
        });
    }

    @Test
    void invalidYamlSaysWhere() {
        ConfigFixture f = new ConfigFixture(dir).replace("  port: 5222\n", "  port: 5222\n port: 5223\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("(file)");
            assertThat(p.problem()).startsWith("not valid YAML at line ");
            assertThat(p.problem()).doesNotContain("com.fasterxml", "Source:", "Exception");
        });
    }

    @Test
    void aKeyGivenTwice() {
        ConfigFixture f = new ConfigFixture(dir).replace("  port: 5222\n", "  port: 5222\n  port: 5223\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.problem()).contains("not valid YAML at line", "port");
            assertThat(p.fix()).contains("each key once");
        });
    }

    @Test
    void anEmptyFileAndATopLevelList() {
        ConfigFixture f = new ConfigFixture(dir);
        f.yaml = "# nothing yet\n";
        assertThat(catchThrowableOfType(ConfigException.class, f::load).problems()).singleElement()
                .satisfies(p -> assertThat(p.problem()).isEqualTo("no sections"));
        f.yaml = "- bridge\n- xmpp\n";
        assertThat(catchThrowableOfType(ConfigException.class, f::load).problems()).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("not a mapping of sections"));
    }

    @Test
    void theClientsNetworkNeedsItsAccountSection() {
        ConfigFixture f = new ConfigFixture(dir);
        f.yaml = "client:\n  network: matrix\n  room: \"!a:example.org\"\n";
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("client.network");
            assertThat(p.problem()).contains("no 'matrix:' section");
        });
    }
}
