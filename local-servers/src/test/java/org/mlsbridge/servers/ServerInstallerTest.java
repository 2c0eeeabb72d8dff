package org.mlsbridge.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerInstallerTest {
    @Test
    void theRepositoryIsFoundAboveTheWorkingFolder() {
        // Maven runs the tests in the module's folder, one below the repository root
        Path home = ServerInstaller.repository().orElseThrow();
        assertThat(Files.isExecutable(home.resolve("scripts/servers/install-prosody.sh"))).isTrue();
        assertThat(home.resolve("local-servers")).isDirectory();
    }
}
