package org.mlsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md and the example name every key, so neither can fall behind the code. */
class ConfigDocsTest {
    @Test
    void theReferenceNamesEveryKeyAndVariable() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(doc).as(key.path()).contains("`" + key.path() + "`");
            key.environmentVariable().ifPresent(v -> assertThat(doc).as(v).contains("`" + v + "`"));
        }
    }

    @Test
    void theExampleShowsEveryKey() throws Exception {
        String example = Files.readString(ConfigFixture.EXAMPLE);
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(example).as(key.path()).containsPattern("(?m)^" + key.section() + ":(\\n.*)*?\\n  "
                    + key.key() + ":");
        }
    }
}
