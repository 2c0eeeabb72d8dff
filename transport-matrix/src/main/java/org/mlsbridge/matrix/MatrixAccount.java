package org.mlsbridge.matrix;

import java.net.URI;
import java.util.Objects;
import org.mlsbridge.bridge.transport.UserId;

/**
 * How one MLS client reaches its homeserver: the Client-Server API base URL, the account (as its
 * identity URI, {@code matrix:u/alice:example.org}) and its password. The client always logs in
 * as the Matrix device {@link #DEVICE_ID}, so its one-time keys (KeyPackages), its to-device
 * inbox (Welcomes) and its transaction ids survive every new login.
 */
public record MatrixAccount(URI homeserver, UserId user, String password) {
    /**
     * The device of an account that is its MLS client. Others claim KeyPackages from this device
     * and send Welcomes to it, so it is fixed by the wire format, not chosen per login.
     */
    public static final String DEVICE_ID = "MLSBRIDGE";

    public MatrixAccount {
        Objects.requireNonNull(homeserver, "homeserver");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        String scheme = homeserver.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || homeserver.getHost() == null) {
            throw new IllegalArgumentException("homeserver must be an http(s) URL: " + homeserver);
        }
        MatrixIds.requireMatrixUserId(user);
    }

    /** The account's Matrix user id, {@code @alice:example.org}. */
    public String matrixUserId() {
        return MatrixIds.requireMatrixUserId(user);
    }

    @Override
    public String toString() {
        return "MatrixAccount[" + user + " at " + homeserver + "]"; // never the password
    }
}
