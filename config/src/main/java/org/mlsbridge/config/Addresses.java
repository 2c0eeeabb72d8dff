package org.mlsbridge.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks of the network identifiers a configuration names. Each returns what is wrong, or empty
 * when the value is fine; they check form only (RFC 7622 for JIDs, the Matrix grammar for ids),
 * not whether the account or room exists.
 */
final class Addresses {
    /** A DNS name or an IP literal: letters, digits, '-', '.', or a bracketed IPv6 address. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
                    + "|\\[[0-9A-Fa-f:.]+\\]");
    /** RFC 7622 §3.3.1: a localpart has no whitespace or control characters and none of these. */
    private static final String LOCALPART_FORBIDDEN = "\"&'/:<>@";
    /** Matrix user id localparts (the historical grammar homeservers still accept). */
    private static final Pattern MATRIX_LOCALPART = Pattern.compile("[!-9;-~]+");
    private static final Pattern MATRIX_SERVER = Pattern.compile("(?:" + DOMAIN.pattern() + ")(?::[0-9]{1,5})?");
    private static final int MAX_PART = 1023;

    private Addresses() {
    }

    /** {@code xmpp:local@domain} or {@code local@domain} without the URI scheme. */
    static String withoutXmppScheme(String value) {
        return value.startsWith("xmpp:") ? value.substring("xmpp:".length()) : value;
    }

    /** What is wrong with a bare JID {@code local@domain} (local part required), or empty. */
    static Optional<String> bareJidProblem(String jid) {
        if (jid.contains("?")) {
            return Optional.of("'" + jid + "' has a query ('?...'); only the address is wanted");
        }
        int slash = jid.indexOf('/');
        if (slash >= 0) {
            return Optional.of("'" + jid + "' has a resource ('" + jid.substring(slash) + "'); a bare JID is wanted");
        }
        int at = jid.indexOf('@');
        if (at <= 0) {
            return Optional.of("'" + jid + "' has no local part (the part before '@')");
        }
        String local = jid.substring(0, at);
        String domain = jid.substring(at + 1);
        for (char c : local.toCharArray()) {
            if (Character.isWhitespace(c) || Character.isISOControl(c) || LOCALPART_FORBIDDEN.indexOf(c) >= 0) {
                return Optional.of("the local part '" + local + "' contains '" + c + "', which a JID cannot have");
            }
        }
        if (local.length() > MAX_PART || domain.length() > MAX_PART) {
            return Optional.of("'" + jid + "' is too long (at most " + MAX_PART + " bytes per part)");
        }
        return domainProblem(domain);
    }

    static Optional<String> domainProblem(String domain) {
        if (domain.isEmpty()) {
            return Optional.of("the domain (the part after '@') is empty");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            return Optional.of("'" + domain + "' is not a domain name");
        }
        return Optional.empty();
    }

    /** {@code matrix:u/local:server} as {@code @local:server}; other values unchanged. */
    static String matrixUserFromUri(String value) {
        return value.startsWith("matrix:u/") ? "@" + value.substring("matrix:u/".length()) : value;
    }

    /** What is wrong with a Matrix user id {@code @local:server}, or empty. */
    static Optional<String> matrixUserProblem(String id) {
        if (!id.startsWith("@")) {
            return Optional.of("'" + id + "' does not start with '@'");
        }
        int colon = id.indexOf(':');
        if (colon < 0) {
            return Optional.of("'" + id + "' has no server name (the part after ':')");
        }
        String local = id.substring(1, colon);
        String server = id.substring(colon + 1);
        if (local.isEmpty() || !MATRIX_LOCALPART.matcher(local).matches()) {
            return Optional.of("the local part '" + local + "' is empty or has characters a user id cannot have");
        }
        if (!MATRIX_SERVER.matcher(server).matches()) {
            return Optional.of("'" + server + "' is not a server name");
        }
        if (id.length() > 255) {
            return Optional.of("'" + id + "' is longer than 255 characters");
        }
        return Optional.empty();
    }

    /** What is wrong with a Matrix room id {@code !opaque:server}, or empty. */
    static Optional<String> matrixRoomProblem(String id) {
        if (id.startsWith("#")) {
            return Optional.of("'" + id + "' is a room alias, not a room id");
        }
        if (!id.startsWith("!")) {
            return Optional.of("'" + id + "' does not start with '!'");
        }
        int colon = id.indexOf(':');
        if (colon < 2) {
            return Optional.of("'" + id + "' is not of the form !opaque:server");
        }
        if (!MATRIX_SERVER.matcher(id.substring(colon + 1)).matches()) {
            return Optional.of("'" + id.substring(colon + 1) + "' is not a server name");
        }
        if (id.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("'" + id + "' contains whitespace");
        }
        return Optional.empty();
    }
}
