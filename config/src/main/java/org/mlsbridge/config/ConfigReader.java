package org.mlsbridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Turns the YAML tree (environment overrides applied) into a {@link MlsbridgeConfig}, or every problem. */
final class ConfigReader {
    private final Path baseDir;
    private final List<String> notes;
    private final Problems problems = new Problems();

    ConfigReader(Path baseDir, List<String> notes) {
        this.baseDir = baseDir;
        this.notes = notes;
    }

    MlsbridgeConfig read(String source, ObjectNode root) throws ConfigException {
        if (root.isEmpty()) {
            problems.add("(file)", "no sections", "write at least one of the sections " + ConfigKey.SECTIONS
                    + " (see config/examples/mlsbridge.example.yaml)");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!ConfigKey.SECTIONS.contains(name)) {
                problems.add(name, "unknown section" + Section.suggestion(name, ConfigKey.SECTIONS),
                        "remove it or correct its name; the sections are " + String.join(", ", ConfigKey.SECTIONS));
            }
        });
        Optional<BridgeSettings> bridge = section(root, "bridge").flatMap(s -> BridgeSectionReader.read(s, notes));
        Optional<XmppAccount> xmpp = section(root, "xmpp").flatMap(s -> AccountSectionReader.xmpp(s, notes));
        Optional<MatrixAccount> matrix = section(root, "matrix").flatMap(s -> AccountSectionReader.matrix(s, notes));
        Optional<ClientSettings> client = section(root, "client").flatMap(s -> client(s, root));
        if (bridge.isPresent() && matrix.isPresent()) {
            checkBridgeDevice(matrix.get().deviceId());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems.list());
        }
        return new MlsbridgeConfig(source, bridge, xmpp, matrix, client);
    }

    /** The bridge signs in as its device and as that device's second one, whose id must fit too. */
    private void checkBridgeDevice(String device) {
        int max = MatrixAccount.MAX_DEVICE_ID - MatrixAccount.MEMBERS_DEVICE_SUFFIX.length();
        if (device.length() > max) {
            problems.add("matrix.device-id", "'" + device + "' is " + device.length() + " characters, too long for the"
                    + " bridge, which also signs in as it followed by '" + MatrixAccount.MEMBERS_DEVICE_SUFFIX + "'",
                    "use at most " + max + " characters");
        }
    }

    /** The section as a reader, or empty if absent; a section that is not a mapping is a problem. */
    private Optional<Section> section(ObjectNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode object)) {
            problems.add(name, "must be a mapping of keys (indented 'key: value' lines under '" + name + ":')",
                    "indent its keys under '" + name + ":', e.g. '" + name + ":' then '  "
                            + ConfigKey.inSection(name).get(0).key() + ": ...'");
            return Optional.empty();
        }
        return Optional.of(new Section(name, object, problems, baseDir));
    }

    private Optional<ClientSettings> client(Section s, ObjectNode root) {
        s.rejectUnknownKeys(ConfigKey.inSection("client").stream().map(ConfigKey::key).toList());
        Optional<Network> network = s.text("network", "say which account the client uses: network: xmpp or "
                + "network: matrix").flatMap(text -> {
                    Optional<Network> n = Network.parse(text);
                    if (n.isEmpty()) {
                        s.problem("network", "'" + text + "' is not a network", "write one of " + Network.names());
                    }
                    return n;
                });
        if (network.isPresent() && !(root.get(network.get().yaml()) instanceof ObjectNode)) {
            s.problem("network", "the client uses the " + network.get().yaml() + " account, but there is no '"
                    + network.get().yaml() + ":' section", "add the '" + network.get().yaml() + ":' section with the "
                    + "account the client signs in with");
        }
        Optional<String> room = s.text("room", "give the room to join, e.g. room: lounge@muc.example.org (XMPP) or "
                + "room: \"!abcdef:example.org\" (Matrix)");
        if (room.isPresent() && network.isPresent()) {
            String r = network.get() == Network.XMPP ? Addresses.withoutXmppScheme(room.get()) : room.get();
            Optional<String> problem = network.get() == Network.XMPP ? Addresses.bareJidProblem(r)
                    : Addresses.matrixRoomProblem(r);
            if (problem.isPresent()) {
                s.problem("room", problem.get(), network.get() == Network.XMPP
                        ? "give the room's bare address room@conference-service"
                        : "give the room id (it starts with '!'), quoted");
                return Optional.empty();
            }
            room = Optional.of(r);
        }
        Optional<Path> database = s.path("database", null, ClientSettings.DEFAULT_DATABASE);
        database.ifPresent(db -> BridgeSectionReader.checkDatabase(s, db));
        Optional<Path> kek = s.path("key-encryption-key-file", null, ClientSettings.DEFAULT_KEY_ENCRYPTION_KEY_FILE);
        kek.ifPresent(file -> SecretFiles.checkKeyEncryptionKey(s, "key-encryption-key-file", file, notes));
        Optional<String> bot = network.flatMap(n -> bot(s, n));
        Optional<Boolean> bridged = bridged(s);
        boolean botGiven = s.raw("bot") != null && !s.raw("bot").isNull();
        if (bridged.orElse(false) && !botGiven) {
            s.problem("bridged", "a bridged room needs its bot: the bridge's account on this network orders the "
                    + "room's handshake messages", "add bot: with the bridge's account, or remove bridged");
            return Optional.empty();
        }
        if (network.isEmpty() || room.isEmpty() || database.isEmpty() || kek.isEmpty() || bridged.isEmpty()
                || (botGiven && bot.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ClientSettings(network.get(), room.get(), database.get(), kek.get(), bot,
                bridged.get()));
    }

    /** {@code bridged}: true or false (a YAML boolean, or the text from an environment variable); default false. */
    private static Optional<Boolean> bridged(Section s) {
        JsonNode v = s.raw("bridged");
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return Optional.of(false);
        }
        if (v.isBoolean()) {
            return Optional.of(v.booleanValue());
        }
        String t = v.isValueNode() ? v.asText() : "";
        if (t.equals("true") || t.equals("false")) {
            return Optional.of(Boolean.parseBoolean(t));
        }
        s.problem("bridged", "'" + (v.isValueNode() ? t : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                + "' is not true or false", "write bridged: true for one room of a bridged pair, else leave it out");
        return Optional.empty();
    }

    /** The room's bot as an account URI on the client's network, if given. */
    private static Optional<String> bot(Section s, Network network) {
        Optional<String> text = s.text("bot");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (network == Network.XMPP) {
            String jid = Addresses.withoutXmppScheme(text.get());
            Optional<String> problem = Addresses.bareJidProblem(jid);
            problem.ifPresent(p -> s.problem("bot", p, "give the bot's bare address, e.g. bot: xmpp:bridge@example.org"));
            return problem.isPresent() ? Optional.empty() : Optional.of("xmpp:" + jid);
        }
        String id = Addresses.matrixUserFromUri(text.get());
        Optional<String> problem = Addresses.matrixUserProblem(id);
        problem.ifPresent(p -> s.problem("bot", p, "give the bot's user id, quoted, e.g. bot: \"@bridge:example.org\""));
        return problem.isPresent() ? Optional.empty() : Optional.of("matrix:u/" + id.substring(1));
    }
}
