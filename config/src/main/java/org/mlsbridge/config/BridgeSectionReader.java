package org.mlsbridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code bridge} section: database, key file, metrics address, bot mode, room pairs. */
final class BridgeSectionReader {
    static final String DEFAULT_METRICS_LISTEN = "127.0.0.1:9464";

    private BridgeSectionReader() {
    }

    static Optional<BridgeSettings> read(Section s, List<String> notes) {
        s.rejectUnknownKeys(ConfigKey.inSection("bridge").stream().map(ConfigKey::key).toList());
        Optional<Path> database = s.path("database",
                "give the SQLite file that holds the bridge's state, e.g. database: /var/lib/mlsbridge/bridge.db");
        database.ifPresent(db -> checkDatabase(s, db));
        Optional<Path> kek = s.path("key-encryption-key-file", "give the file of the key that encrypts the database, "
                + "e.g. key-encryption-key-file: /var/lib/mlsbridge/kek (generated on the first start)");
        kek.ifPresent(file -> SecretFiles.checkKeyEncryptionKey(s, "key-encryption-key-file", file, notes));
        Optional<InetSocketAddress> metrics = metricsListen(s);
        Optional<BotMode> mode = botMode(s);
        Optional<List<RoomPair>> rooms = rooms(s);
        if (database.isEmpty() || kek.isEmpty() || metrics.isEmpty() || mode.isEmpty() || rooms.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BridgeSettings(database.get(), kek.get(), metrics.get(), mode.get(), rooms.get()));
    }

    static void checkDatabase(Section s, Path db) {
        if (Files.isDirectory(db)) {
            s.problem("database", db + " is a folder", "name the database file inside it, e.g. " + db.resolve("bridge.db"));
            return;
        }
        Path parent = db.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            s.problem("database", "the folder " + parent + " does not exist",
                    "create it (mkdir -p " + parent + "), owned by the user the bridge runs as");
        }
    }

    /** {@code host:port} on a loopback address: the endpoint has no authentication, so it stays local. */
    private static Optional<InetSocketAddress> metricsListen(Section s) {
        String key = "metrics-listen";
        String value = s.text(key).orElse(DEFAULT_METRICS_LISTEN);
        String fix = "give a loopback address and port, e.g. " + DEFAULT_METRICS_LISTEN + " or [::1]:9464";
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            s.problem(key, "'" + value + "' is not of the form host:port", fix);
            return Optional.empty();
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            s.problem(key, "'" + value.substring(colon + 1) + "' is not a port number", fix);
            return Optional.empty();
        }
        if (port < 1 || port > 65_535) {
            s.problem(key, "port " + port + " is out of range (1 to 65535)", fix);
            return Optional.empty();
        }
        Optional<InetAddress> address = loopback(host);
        if (address.isEmpty()) {
            s.problem(key, "'" + host + "' is not a loopback address; the metrics and health endpoint has no "
                    + "authentication, so it listens on this machine only", fix
                    + ", and let a local Prometheus (or an authenticating proxy) scrape it");
            return Optional.empty();
        }
        return Optional.of(new InetSocketAddress(address.get(), port));
    }

    /** The address if {@code host} is {@code localhost} or a loopback IP literal; never a DNS lookup. */
    static Optional<InetAddress> loopback(String host) {
        if (host.equals("localhost")) {
            return Optional.of(InetAddress.getLoopbackAddress());
        }
        boolean literal = host.matches("[0-9.]+") || (host.contains(":") && host.matches("[0-9A-Fa-f:.]+"));
        if (!literal) {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() ? Optional.of(a) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<BotMode> botMode(Section s) {
        Optional<String> text = s.text("bot-mode");
        if (text.isEmpty()) {
            return s.raw("bot-mode") == null || s.raw("bot-mode").isValueNode() ? Optional.of(BotMode.EXTERNAL_SENDER)
                    : Optional.empty();
        }
        Optional<BotMode> mode = BotMode.parse(text.get());
        if (mode.isEmpty()) {
            s.problem("bot-mode", "'" + text.get() + "' is not a bot mode", "write one of " + BotMode.names()
                    + " (external-sender, the default, keeps the bridge unable to read messages)");
        }
        return mode;
    }

    private static Optional<List<RoomPair>> rooms(Section s) {
        String fix = "list the bridged rooms, each with its XMPP room and its Matrix room id, e.g.\n"
                + "      rooms:\n        - xmpp: lounge@muc.example.org\n          matrix: \"!abcdef:example.org\"";
        JsonNode node = s.raw("rooms");
        if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
            s.problem("rooms", "no room pairs", oneLine(fix));
            return Optional.empty();
        }
        if (!node.isArray()) {
            s.problem("rooms", "must be a list of room pairs", oneLine(fix));
            return Optional.empty();
        }
        int before = s.problems().size();
        List<RoomPair> pairs = new ArrayList<>();
        Map<String, Integer> seenXmpp = new HashMap<>();
        Map<String, Integer> seenMatrix = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String key = "rooms[" + i + "]";
            if (!(node.get(i) instanceof ObjectNode entry)) {
                s.problem(key, "must be a mapping with 'xmpp' and 'matrix'", oneLine(fix));
                continue;
            }
            Section pair = new Section(s.keyName(key), entry, s.problems(), Path.of(""));
            pair.rejectUnknownKeys(ConfigKey.ROOM_PAIR_KEYS);
            Optional<String> xmpp = pair.text("xmpp", "give the room's address, e.g. xmpp: lounge@muc.example.org")
                    .map(Addresses::withoutXmppScheme);
            xmpp.flatMap(Addresses::bareJidProblem).ifPresent(p -> pair.problem("xmpp", p,
                    "give the room's bare address room@conference-service, without a nickname"));
            Optional<String> matrix = pair.text("matrix", "give the room id in quotes, e.g. matrix: \"!abcdef:example.org\" "
                    + "(unquoted, YAML takes the leading '!' for a tag and the value is lost)");
            matrix.flatMap(Addresses::matrixRoomProblem).ifPresent(p -> pair.problem("matrix", p,
                    "give the room id (it starts with '!'; Element shows it under Settings > Advanced), "
                            + "quoted, since YAML reads a leading '!' as a tag"));
            int index = i;
            xmpp.ifPresent(x -> duplicate(pair, "xmpp", x, index, seenXmpp));
            matrix.ifPresent(m -> duplicate(pair, "matrix", m, index, seenMatrix));
            if (xmpp.isPresent() && matrix.isPresent()) {
                pairs.add(new RoomPair(xmpp.get(), matrix.get()));
            }
        }
        return s.problems().size() == before ? Optional.of(pairs) : Optional.empty();
    }

    private static void duplicate(Section pair, String key, String room, int index, Map<String, Integer> seen) {
        Integer first = seen.putIfAbsent(room, index);
        if (first != null) {
            pair.problem(key, "'" + room + "' is already bridged by rooms[" + first + "]; a room can be in one pair only",
                    "remove one of the two entries");
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\n\\s*", " ");
    }
}
