package org.mlsbridge.matrix;

import java.net.URI;
import java.util.Objects;
import org.mlsbridge.bridge.transport.UserId;

/**
 * How one MLS client reaches its homeserver: the Client-Server API base URL, the account (as its
 * identity URI, {@code matrix:u/alice:example.org}), its password and the device it logs in as,
 * always the same one, so its one-time keys (KeyPackages), its to-device inbox (Welcomes) and its
 * transaction ids survive every new login. Any device id works: a device that publishes
 * KeyPackages says so in its device keys, where others look for it; Welcomes reach every device
 * of an account.
 */
public record MatrixAccount(URI homeserver, UserId user, String password, String deviceId) {
    /** The device id used when none is configured. */
    public static final String DEFAULT_DEVICE_ID = "MLSBRIDGE";

    /** The account on the device {@link #DEFAULT_DEVICE_ID}. */
    public MatrixAccount(URI homeserver, UserId user, String password) {
        this(homeserver, user, password, DEFAULT_DEVICE_ID);
    }

    public MatrixAccount {
        Objects.requireNonNull(deviceId, "deviceId");
        if (!KeyPackageDirectory.DEVICE_ID.matcher(deviceId).matches()) {
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
