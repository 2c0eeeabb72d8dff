package org.mlsbridge.app.load;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.mlsbridge.config.SecretText;

/**
 * The load run's configuration file (docs/performance.md, "Load test"): the two servers, how the
 * run creates its accounts there, and the traffic. Relative file names are relative to the file.
 * Every problem is collected and reported at once as a {@link Invalid}.
 */
record LoadConfig(Xmpp xmpp, Matrix matrix, LoadSettings settings, Duration formationTimeout) {
    record Xmpp(String host, int port, String domain, String muc, boolean tls, SecretText password,
            List<String> registerCommand) {
        XmppLoadNetwork network() {
            return new XmppLoadNetwork(host, port, domain, muc, tls, password.reveal(),
                    new CommandRegistrar(registerCommand, domain));
        }
    }

    record Matrix(URI homeserver, String serverName, SecretText password, SecretText registrationSecret) {
        MatrixLoadNetwork network() {
            return new MatrixLoadNetwork(homeserver, serverName, password.reveal(),
                    new SharedSecretRegistrar(homeserver, registrationSecret.reveal()));
        }
    }

    /** The file cannot be used; the message lists every problem, one per line. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    static final int DEFAULT_MEMBERS = 10;
    static final int DEFAULT_MESSAGES = 10_000;
    static final double DEFAULT_RATE = 20;
    static final int DEFAULT_MESSAGE_BYTES = 100;

    static LoadConfig read(Path file) throws Invalid {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new Invalid(file + ": not YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read: " + e.getMessage());
        }
        Reader r = new Reader(file.toAbsolutePath().getParent());
        if (root == null || !root.isObject()) {
            throw new Invalid(file + ": expected sections xmpp, matrix and load");
        }
        r.only(root, "", Set.of("xmpp", "matrix", "load"));
        JsonNode x = r.section(root, "xmpp");
        JsonNode m = r.section(root, "matrix");
        JsonNode l = root.path("load");
        r.only(x, "xmpp.", Set.of("host", "port", "domain", "muc", "tls", "password-file", "register-command"));
        r.only(m, "matrix.", Set.of("homeserver", "server-name", "password-file", "registration-shared-secret-file"));
        r.only(l, "load.", Set.of("members-per-network", "messages", "rate", "message-bytes", "drain-timeout-seconds",
                "block-messages", "formation-timeout-seconds"));
        String host = r.text(x, "xmpp.", "host", null);
        Xmpp xmpp = new Xmpp(host, r.integer(x, "xmpp.", "port", 5222), r.text(x, "xmpp.", "domain", null),
                r.text(x, "xmpp.", "muc", null), x.has("tls") ? r.bool(x, "xmpp.", "tls")
                        : host == null || !isLoopback(host), r.secret(x, "xmpp.", "password-file"),
                r.list(x, "xmpp.", "register-command"));
        URI homeserver = r.uri(m, "matrix.", "homeserver");
        Matrix matrix = new Matrix(homeserver, r.text(m, "matrix.", "server-name", null),
                r.secret(m, "matrix.", "password-file"), r.secret(m, "matrix.", "registration-shared-secret-file"));
        int members = r.integer(l, "load.", "members-per-network", DEFAULT_MEMBERS);
        int messages = r.integer(l, "load.", "messages", DEFAULT_MESSAGES);
        double rate = r.number(l, "load.", "rate", DEFAULT_RATE);
        int bytes = r.integer(l, "load.", "message-bytes", DEFAULT_MESSAGE_BYTES);
        int drain = r.integer(l, "load.", "drain-timeout-seconds", 120);
        int block = r.integer(l, "load.", "block-messages", LoadSettings.DEFAULT_BLOCK_MESSAGES);
        int formation = r.integer(l, "load.", "formation-timeout-seconds", 600);
        r.done(file);
        try {
            return new LoadConfig(xmpp, matrix, new LoadSettings(members, messages, rate, bytes,
                    Duration.ofSeconds(drain), block), Duration.ofSeconds(formation));
        } catch (IllegalArgumentException e) {
            throw new Invalid(file + ": load." + e.getMessage());
        }
    }

    /** The traffic defaults, for servers the command starts itself (no server section). */
    static LoadConfig defaults() {
        return new LoadConfig(null, null, new LoadSettings(DEFAULT_MEMBERS, DEFAULT_MESSAGES, DEFAULT_RATE,
                DEFAULT_MESSAGE_BYTES, Duration.ofSeconds(120)), Duration.ofSeconds(600));
    }

    /** The same run with other traffic figures (the command's flags). */
    LoadConfig with(LoadSettings s) {
        return new LoadConfig(xmpp, matrix, s, formationTimeout);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** Reads values, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final Path base;
        private final List<String> problems = new ArrayList<>();

        Reader(Path base) {
            this.base = base;
        }

        void done(Path file) throws Invalid {
            if (!problems.isEmpty()) {
                throw new Invalid(file + ": " + String.join("; ", problems));
            }
        }

        JsonNode section(JsonNode root, String name) {
            JsonNode n = root.path(name);
            if (!n.isObject()) {
                problems.add(name + ": missing section");
            }
            return n;
        }

        void only(JsonNode n, String prefix, Set<String> keys) {
            if (!n.isObject()) {
                return;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!keys.contains(k)) {
                    problems.add(prefix + k + ": unknown key (known: " + String.join(", ", keys.stream().sorted()
                            .toList()) + ")");
                }
            }
        }

        String text(JsonNode n, String prefix, String key, String fallback) {
            JsonNode v = n.path(key);
            if (v.isMissingNode() || v.isNull()) {
                if (fallback == null) {
                    problems.add(prefix + key + ": missing");
                }
                return fallback;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                problems.add(prefix + key + ": expected a non-empty text");
                return fallback;
            }
            return v.asText();
        }

        int integer(JsonNode n, String prefix, String key, int fallback) {
            JsonNode v = n.path(key);
            if (v.isMissingNode()) {
                return fallback;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
                problems.add(prefix + key + ": expected a whole number of at least 1");
                return fallback;
            }
            return v.asInt();
        }

        double number(JsonNode n, String prefix, String key, double fallback) {
            JsonNode v = n.path(key);
            if (v.isMissingNode()) {
                return fallback;
            }
            if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
                problems.add(prefix + key + ": expected a number above 0");
                return fallback;
            }
            return v.asDouble();
        }

        boolean bool(JsonNode n, String prefix, String key) {
            JsonNode v = n.path(key);
            if (!v.isBoolean()) {
                problems.add(prefix + key + ": expected true or false");
                return true;
            }
            return v.asBoolean();
        }

        List<String> list(JsonNode n, String prefix, String key) {
            JsonNode v = n.path(key);
            List<String> out = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(e -> out.add(e.asText()));
            }
            if (!v.isArray() || out.isEmpty() || v.size() != out.stream().filter(s -> !s.isBlank()).count()) {
                problems.add(prefix + key + ": expected a list of command words, e.g. [prosodyctl, --config, "
                        + "/etc/prosody/prosody.cfg.lua, register]");
            }
            return out;
        }

        URI uri(JsonNode n, String prefix, String key) {
            String s = text(n, prefix, key, null);
            if (s == null) {
                return null;
            }
            try {
                URI u = URI.create(s);
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                    return u;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            problems.add(prefix + key + ": expected an http(s) URL, e.g. http://127.0.0.1:8008");
            return null;
        }

        /** The first line of the named file, never shown. */
        SecretText secret(JsonNode n, String prefix, String key) {
            String name = text(n, prefix, key, null);
            if (name == null) {
                return null;
            }
            Path p = base.resolve(name);
            try {
                String s = Files.readString(p, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                if (s.isEmpty()) {
                    problems.add(prefix + key + ": " + p + " is empty");
                    return null;
                }
                return new SecretText(s);
            } catch (IOException e) {
                problems.add(prefix + key + ": cannot read " + p + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
    }
}
