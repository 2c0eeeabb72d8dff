package org.mlsbridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The commented example configuration (config/examples/mlsbridge.example.yaml), as shipped in the jar. */
public final class ExampleConfig {
    private ExampleConfig() {
    }

    public static String text() {
        try (InputStream in = ExampleConfig.class.getResourceAsStream("mlsbridge.example.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the example configuration is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
