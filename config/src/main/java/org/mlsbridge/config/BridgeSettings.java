package org.mlsbridge.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code bridge} section. The key-encryption key is kept in its file and loaded by the store
 * (bridge-core {@code KeyEncryptionKeys.loadOrCreate}), which generates it on the first start; the
 * configuration only checks that the file, if present, holds a well-formed key.
 */
public record BridgeSettings(Path database, Path keyEncryptionKeyFile, InetSocketAddress metricsListen,
        BotMode botMode, List<RoomPair> rooms) {
    public BridgeSettings {
        rooms = List.copyOf(rooms);
    }
}
