package org.mlsbridge.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The account sections, {@code xmpp} and {@code matrix}. */
final class AccountSectionReader {
    static final int DEFAULT_XMPP_PORT = 5222;
    /** Prosody's default c2s_stanza_size_limit (256 KiB); servers may set another. */
    static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;
    /** Below this, a Welcome or a commit with a path for a mid-sized group would not fit. */
    static final int MIN_MAX_STANZA_BYTES = 16 * 1024;
    static final int MAX_MAX_STANZA_BYTES = 64 * 1024 * 1024;
    static final String DEFAULT_DEVICE_ID = "MLSBRIDGE";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._=-]{1,64}");

    private AccountSectionReader() {
    }

    static Optional<XmppAccount> xmpp(Section s, List<String> notes) {
        s.rejectUnknownKeys(ConfigKey.inSection("xmpp").stream().map(ConfigKey::key).toList());
        Optional<String> jid = s.text("jid", "give the account's address, e.g. jid: xmpp:bridge@example.org")
                .map(Addresses::withoutXmppScheme);
        if (jid.isPresent()) {
            Optional<String> problem = Addresses.bareJidProblem(jid.get());
            if (problem.isPresent()) {
                s.problem("jid", problem.get(), "give the bare address user@domain (or xmpp:user@domain)");
                jid = Optional.empty();
            }
        }
        Optional<String> host = s.text("host");
        if (host.isPresent() && Addresses.domainProblem(host.get()).isPresent()) {
            s.problem("host", Addresses.domainProblem(host.get()).get(),
                    "give the server's host name or IP address, or leave it out to use the JID's domain");
            host = Optional.empty();
        } else if (host.isEmpty() && jid.isPresent()) {
            host = Optional.of(jid.get().substring(jid.get().indexOf('@') + 1));
        }
        Optional<Integer> port = s.integer("port", DEFAULT_XMPP_PORT, 1, 65_535,
                "give the server's client port, 1 to 65535 (XMPP's usual one is 5222)");
        Optional<SecretText> password = password(s, notes);
        Optional<Integer> maxStanza = s.integer("max-stanza-bytes", DEFAULT_MAX_STANZA_BYTES, MIN_MAX_STANZA_BYTES,
                MAX_MAX_STANZA_BYTES, "give the server's stanza size limit in bytes (Prosody: c2s_stanza_size_limit, "
                        + "256 KiB by default), at least " + MIN_MAX_STANZA_BYTES);
        if (jid.isEmpty() || host.isEmpty() || port.isEmpty() || password.isEmpty() || maxStanza.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new XmppAccount(jid.get(), host.get(), port.get(), passwordFile(s).orElseThrow(),
                password.get(), maxStanza.get()));
    }

    static Optional<MatrixAccount> matrix(Section s, List<String> notes) {
        s.rejectUnknownKeys(ConfigKey.inSection("matrix").stream().map(ConfigKey::key).toList());
        Optional<URI> homeserver = s.text("homeserver", "give the homeserver's client API address, "
                + "e.g. homeserver: https://matrix.example.org").flatMap(text -> homeserver(s, text));
        Optional<String> userId = s.text("user-id", "give the account's user id, e.g. user-id: \"@bridge:example.org\"")
                .map(Addresses::matrixUserFromUri);
        if (userId.isPresent()) {
            Optional<String> problem = Addresses.matrixUserProblem(userId.get());
            if (problem.isPresent()) {
                s.problem("user-id", problem.get(),
                        "give the full user id @name:server, quoted (or matrix:u/name:server)");
                userId = Optional.empty();
            }
        }
        Optional<SecretText> password = password(s, notes);
        String deviceId = s.text("device-id").orElse(DEFAULT_DEVICE_ID);
        boolean deviceOk = DEVICE_ID.matcher(deviceId).matches();
        if (!deviceOk) {
            s.problem("device-id", "'" + deviceId + "' is not a usable device id",
                    "use 1 to 64 letters, digits, '.', '_', '=' or '-' (default " + DEFAULT_DEVICE_ID + ")");
        }
        if (homeserver.isEmpty() || userId.isEmpty() || password.isEmpty() || !deviceOk) {
            return Optional.empty();
        }
        return Optional.of(new MatrixAccount(homeserver.get(), userId.get(), passwordFile(s).orElseThrow(),
                password.get(), deviceId));
    }

    /** https, or http to this machine only (a local test server): never a password in the clear on a network. */
    private static Optional<URI> homeserver(Section s, String text) {
        String fix = "give the homeserver's address with https://, e.g. https://matrix.example.org "
                + "(http:// only for a server on this machine)";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            s.problem("homeserver", "'" + text + "' is not a URL", fix);
            return Optional.empty();
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            s.problem("homeserver", "'" + text + "' is not an absolute URL with a host", fix);
            return Optional.empty();
        }
        boolean local = BridgeSectionReader.loopback(uri.getHost().replaceAll("^\\[|\\]$", "")).isPresent();
        if (!uri.getScheme().equals("https") && !(uri.getScheme().equals("http") && local)) {
            s.problem("homeserver", "'" + text + "' is not https; the password and every message would cross the "
                    + "network unprotected", fix);
            return Optional.empty();
        }
        if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
            s.problem("homeserver", "'" + text + "' has a query, fragment or user name", fix);
            return Optional.empty();
        }
        return Optional.of(uri);
    }

    private static Optional<Path> passwordFile(Section s) {
        return s.path("password-file", null);
    }

    private static Optional<SecretText> password(Section s, List<String> notes) {
        Optional<Path> file = s.path("password-file",
                "give the file that holds the account's password, e.g. password-file: /etc/mlsbridge/" + s.name()
                        + "-password (chmod 600)");
        return file.flatMap(f -> SecretFiles.password(s, "password-file", f, notes));
    }
}
