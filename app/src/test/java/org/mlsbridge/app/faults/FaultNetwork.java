package org.mlsbridge.app.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.UserId;

/**
 * One real chat server for the fault tests, and what a test does with it: accounts, a room owned
 * by the bot's account, letting a member in, connecting in this JVM or writing the configuration
 * a child client JVM runs from, and stopping and starting the server itself.
 */
interface FaultNetwork extends AutoCloseable {
    /** {@code xmpp} or {@code matrix}, as in the configuration. */
    String name();

    /** Creates the account {@code name}. */
    UserId register(String name) throws Exception;

    UserId user(String name);

    /** The port clients connect to (the server's own). */
    int port();

    /** Signs {@code name} in from this JVM, through {@code port} (the server's, or a proxy's in front of it). */
    Transport connect(String name, int port) throws Exception;

    /** A members-only room owned by the bot's account, which is in it. */
    RoomId createRoom(Transport bot) throws Exception;

    /** The room's owner lets {@code name} in (a membership, an invitation). */
    void admit(Transport bot, RoomId room, String name) throws Exception;

    /** The configuration of a chat client for {@code name} in {@code room}, through {@code port}. */
    String clientYaml(String name, RoomId room, String bot, int port, Path database, Path keyFile,
            Path passwordFile) throws Exception;

    /** Stops the server process (its data stays). */
    void stopServer() throws Exception;

    /** Starts the stopped server again on the same port and data. */
    void startServer() throws Exception;

    static void writeSecret(Path file, String text) throws Exception {
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
