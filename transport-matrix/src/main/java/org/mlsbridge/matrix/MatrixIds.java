package org.mlsbridge.matrix;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;

/**
 * Matrix identifiers and their URI form. A {@link UserId} holds the Matrix URI of an account,
 * {@code matrix:u/alice:example.org} for {@code @alice:example.org} (the path segment
 * percent-encoded, so {@code /} in a historical localpart is {@code %2F});
 * a {@link RoomId} holds the room id {@code !opaque:example.org} verbatim. In the URI the localpart
 * keeps only unreserved characters and sub-delims of RFC 3986; every other character (a
 * historical {@code /}, {@code @}, {@code ?}, {@code #}, {@code %}) is percent-encoded with
 * upper-case hex, and the server name follows the first {@code :} unchanged.
 *
 * <p>Everything here is checked strictly because user and room ids arrive from the network.
 */
public final class MatrixIds {
    /** The URI prefix of Matrix user identities. */
    public static final String USER_URI_PREFIX = "matrix:u/";
    /** The Matrix specification's limit for user and room ids, in bytes. */
    static final int MAX_ID_BYTES = 255;

    private MatrixIds() {
    }

    /** The identity URI of a Matrix user id such as {@code @alice:example.org}. */
    public static UserId user(String matrixUserId) {
        if (!isUserId(matrixUserId)) {
            throw new IllegalArgumentException("not a Matrix user id: " + matrixUserId);
        }
        int colon = matrixUserId.indexOf(':');
        return new UserId(USER_URI_PREFIX + encodeLocalpart(matrixUserId.substring(1, colon))
                + matrixUserId.substring(colon));
    }

    /** The identity of a user id from the network, or empty if either form refuses it. */
    static Optional<UserId> userIfValid(String matrixUserId) {
        if (!isUserId(matrixUserId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(user(matrixUserId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The Matrix user id an identity URI names, if it is the canonical URI of a valid user id. */
    public static Optional<String> matrixUserId(UserId user) {
        String v = user.value();
        if (!v.startsWith(USER_URI_PREFIX)) {
            return Optional.empty();
        }
        String rest = v.substring(USER_URI_PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 1) {
            return Optional.empty();
        }
        Optional<String> local = decodeLocalpart(rest.substring(0, colon));
        if (local.isEmpty()) {
            return Optional.empty();
        }
        String id = "@" + local.get() + rest.substring(colon);
        // Only the canonical URI is accepted, so one account has exactly one identity.
        if (!isUserId(id) || !userIfValid(id).map(u -> u.value().equals(v)).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(id);
    }

    /** The Matrix user id of {@code user}, or an {@link IllegalArgumentException} naming it. */
    public static String requireMatrixUserId(UserId user) {
        return matrixUserId(user).orElseThrow(
                () -> new IllegalArgumentException("not a Matrix identity (matrix:u/localpart:server): " + user));
    }

    /**
     * Whether {@code s} is a user id: {@code @localpart:server_name}, localpart of printable ASCII
     * without {@code :} (the historical grammar, a superset of today's), at most 255 bytes.
     */
    public static boolean isUserId(String s) {
        if (s == null || s.length() < 4 || s.charAt(0) != '@' || utf8Length(s) > MAX_ID_BYTES) {
            return false;
        }
        int colon = s.indexOf(':');
        if (colon < 2) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return isServerName(s.substring(colon + 1));
    }

    /** Whether {@code s} is a room id: {@code !opaque:server_name}, at most 255 bytes. */
    public static boolean isRoomId(String s) {
        if (s == null || s.length() < 4 || s.charAt(0) != '!' || utf8Length(s) > MAX_ID_BYTES) {
            return false;
        }
        int colon = s.indexOf(':');
        if (colon < 2) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return isServerName(s.substring(colon + 1));
    }

    /** A room id checked as {@link #isRoomId}. */
    public static RoomId room(String roomId) {
        if (!isRoomId(roomId)) {
            throw new IllegalArgumentException("not a Matrix room id: " + roomId);
        }
        return new RoomId(roomId);
    }

    /** server_name = host [":" port], host a DNS name, IPv4 address or bracketed IPv6 literal. */
    static boolean isServerName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        String host = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = s.charAt(i);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            if (close == 1) {
                return false;
            }
            return close == s.length() - 1 || isPort(s.substring(close + 1));
        }
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            if (!isPort(s.substring(colon))) {
                return false;
            }
            host = s.substring(0, colon);
        }
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String s) {
        // s starts with ':'
        if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s.substring(1)) <= 65535;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Percent-encodes everything but unreserved characters and sub-delims (user ids are ASCII). */
    private static String encodeLocalpart(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (isKept(c)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static Optional<String> decodeLocalpart(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return Optional.empty();
                }
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (isKept(c)) {
                out.append(c);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out.toString());
    }

    /** unreserved / sub-delims (RFC 3986 §2.2, §2.3). */
    private static boolean isKept(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=".indexOf(c) >= 0;
    }
}
