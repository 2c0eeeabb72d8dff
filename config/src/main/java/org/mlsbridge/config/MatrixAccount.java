package org.mlsbridge.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code matrix} section: the account the bridge (or the client) signs in with.
 * {@code userId} is the Matrix user id ({@code @bridge:example.org}); {@code deviceId} names
 * this installation's device, so that a restart reuses it rather than adding a device per start.
 */
public record MatrixAccount(URI homeserver, String userId, Path passwordFile, SecretText password, String deviceId) {
    /** The bridge's second device is its device id followed by this (it reads room membership for the bot). */
    public static final String MEMBERS_DEVICE_SUFFIX = "-MEMBERS";
    /** The longest device id: Matrix device ids here are 1 to 64 characters. */
    static final int MAX_DEVICE_ID = 64;

    /** The account as an identity URI, e.g. {@code matrix:u/bridge:example.org}. */
    public String uri() {
        return "matrix:u/" + userId.substring(1);
    }
}
