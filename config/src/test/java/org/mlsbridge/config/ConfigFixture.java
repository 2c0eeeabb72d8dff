package org.mlsbridge.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A folder laid out as the example configuration expects (secret files, state folder), with the
 * example copied in as {@code mlsbridge.yaml}; tests edit its text and load it.
 */
final class ConfigFixture {
    static final Path EXAMPLE = Path.of("examples", "mlsbridge.example.yaml");
    static final String XMPP_PASSWORD = "correct horse battery staple";
    static final String MATRIX_PASSWORD = "tr0ub4dor&3";

    final Path dir;
    String yaml;

    ConfigFixture(Path dir) {
        this.dir = dir;
        try {
            yaml = Files.readString(EXAMPLE);
            Files.createDirectories(dir.resolve("state"));
            Files.createDirectories(dir.resolve("secrets"));
            secret("secrets/xmpp-password", XMPP_PASSWORD + "\n");
            secret("secrets/matrix-password", MATRIX_PASSWORD + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file readable by its owner only, as secrets should be. */
    Path secret(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Replaces one exact piece of the YAML text (which must occur). */
    ConfigFixture replace(String from, String to) {
        if (!yaml.contains(from)) {
            throw new IllegalArgumentException("the example has no '" + from + "'");
        }
        yaml = yaml.replace(from, to);
        return this;
    }

    ConfigLoader.Loaded load() throws ConfigException {
        return load(Map.of());
    }

    ConfigLoader.Loaded load(Map<String, String> env) throws ConfigException {
        try {
            Path file = dir.resolve("mlsbridge.yaml");
            Files.writeString(file, yaml);
            return new ConfigLoader(env).loadFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
