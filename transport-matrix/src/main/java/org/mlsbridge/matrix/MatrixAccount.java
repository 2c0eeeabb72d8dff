package org.mlsbridge.matrix;

import java.net.URI;
import java.util.Objects;
import org.mlsbridge.bridge.transport.UserId;

/**
 * How one MLS client reaches its homeserver: the Client-Server API base URL, the account (as its
 * identity URI, {@code matrix:u/alice:example.org}), its password and the device it logs in as,
 * always the same one, so its one-time keys (KeyPackages), its to-device inbox (Welcomes) and its
 * transaction ids survive every new login. A member client is the device {@link #DEVICE_ID}:
 * others claim its KeyPackages there. A connection that publishes no KeyPackages (the bridge's)
 * may be another device; Welcomes reach every device of an account.
 */
public record MatrixAccount(URI homeserver, UserId user, String password, String deviceId) {
    /**
     * The device of an account that is its MLS client. Others claim KeyPackages from this device
     * and send Welcomes to it, so it is fixed by the wire format, not chosen per login.
     */
    public static final String DEVICE_ID = "MLSBRIDGE";

    /** The member client's device, {@link #DEVICE_ID}. */
    public MatrixAccount(URI homeserver, UserId user, String password) {
        this(homeserver, user, password, DEVICE_ID);
    }

    public MatrixAccount {
        Objects.requireNonNull(deviceId, "deviceId");
        if (!deviceId.matches("[A-Za-z0-9._=-]{1,64}")) {
            throw new IllegalArgumentException("device id must be 1 to 64 of A-Z a-z 0-9 . _ = -: " + deviceId);
        }
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

    /** The same account as another device (a second connection must not share the first one's to-device inbox). */
    public MatrixAccount withDevice(String device) {
        return new MatrixAccount(homeserver, user, password, device);
    }

    @Override
    public String toString() {
        return "MatrixAccount[" + user + " device " + deviceId + " at " + homeserver + "]"; // never the password
    }
}
