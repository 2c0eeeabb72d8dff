package org.mlsbridge.bridge.transport;

import java.util.Objects;

/**
 * A network account as a URI, and the identity of that account's MLS credentials:
 * {@code xmpp:alice@example.org} (RFC 5122, a bare JID: no resource) or
 * {@code matrix:u/alice:example.org} (the Matrix URI scheme for a user). Identities of both
 * networks can sit side by side in one group without ambiguity. One account's devices are
 * separate leaves with this same identity and different signature keys.
 *
 * <p>The constructor checks the form, not whether the account exists; transports produce the
 * value from what their server authenticated ({@link #xmpp}, {@link #matrix}), already in the
 * server's canonical spelling (e.g. lower-case domain), since identities compare as strings.
 */
public record UserId(String value) implements Comparable<UserId> {
    private static final String XMPP = "xmpp:";
    private static final String MATRIX = "matrix:u/";
    private static final int MAX_LENGTH = 1024;

    /** The network an account lives on. */
    public enum Network {
        XMPP,
        MATRIX
    }

    public UserId {
        Objects.requireNonNull(value, "value");
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("not an account URI (" + problem + "): " + printable(value));
        }
    }

    /** Whether {@code value} is a well-formed account URI (for input that may be hostile). */
    public static boolean isValid(String value) {
        return value != null && problem(value) == null;
    }

    /** The account of an XMPP bare JID ({@code alice@example.org}). */
    public static UserId xmpp(String bareJid) {
        return new UserId(XMPP + Objects.requireNonNull(bareJid, "bareJid"));
    }

    /** The account of a Matrix user id ({@code @alice:example.org}). */
    public static UserId matrix(String userId) {
        Objects.requireNonNull(userId, "userId");
        if (!userId.startsWith("@")) {
            throw new IllegalArgumentException("a Matrix user id starts with @: " + printable(userId));
        }
        return new UserId(MATRIX + userId.substring(1));
    }

    public Network network() {
        return value.startsWith(XMPP) ? Network.XMPP : Network.MATRIX;
    }

    /** The account in its network's own syntax: a bare JID, or a Matrix user id ({@code @u:server}). */
    public String address() {
        return network() == Network.XMPP ? value.substring(XMPP.length()) : "@" + value.substring(MATRIX.length());
    }

    private static String problem(String v) {
        if (v.isBlank() || v.length() > MAX_LENGTH) {
            return "length";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                return "control character";
            }
        }
        if (v.startsWith(XMPP)) {
            return jidProblem(v.substring(XMPP.length()));
        }
        if (v.startsWith(MATRIX)) {
            return matrixProblem(v.substring(MATRIX.length()));
        }
        return "scheme must be xmpp: or matrix:u/";
    }

    /** A bare JID: a domain after the last @ (a localpart may hold escaped characters), no resource. */
    private static String jidProblem(String jid) {
        int at = jid.lastIndexOf('@');
        if (at == 0) {
            return "empty localpart";
        }
        String domain = jid.substring(at + 1);
        if (domain.isBlank() || domain.indexOf('/') >= 0 || domain.indexOf(' ') >= 0) {
            return "an account is a bare JID: a domain and no resource";
        }
        return null;
    }

    /** {@code <localpart>:<server>}; the localpart is a URI path segment, so it holds no '/'. */
    private static String matrixProblem(String rest) {
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            return "expected matrix:u/<localpart>:<server>";
        }
        if (rest.substring(0, colon).indexOf('/') >= 0 || rest.substring(colon + 1).indexOf('/') >= 0
                || rest.indexOf(' ') >= 0) {
            return "a user URI has one path segment after u/";
        }
        return null;
    }

    /** A bounded, control-free rendering of hostile input for error messages. */
    private static String printable(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length() && b.length() < 80; i++) {
            char c = v.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return "\"" + b + (v.length() > 80 ? "…" : "") + "\"";
    }

    @Override
    public int compareTo(UserId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
