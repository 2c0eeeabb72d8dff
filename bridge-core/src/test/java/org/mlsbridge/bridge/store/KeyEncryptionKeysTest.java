package org.mlsbridge.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsbridge.bridge.store.StoreException.Kind;

class KeyEncryptionKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatedOnFirstRunOwnerOnlyThenReloaded() throws Exception {
        Path file = dir.resolve("kek");
        KeyEncryptionKey first = KeyEncryptionKeys.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).strip()).hasSize(44);
        KeyEncryptionKey again = KeyEncryptionKeys.loadOrCreate(file);
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(KeyEncryptionKeys.fromFile(file).keyId()).isEqualTo(first.keyId());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void environmentWinsOverTheFile() {
        Path file = dir.resolve("kek");
        KeyEncryptionKey fromEnv = KeyEncryptionKeys.fromEnvironmentOrFile(
                Map.of("MLSBRIDGE_KEK", TestKeys.GOLDEN_KEK_BASE64), "MLSBRIDGE_KEK", file);
        assertThat(fromEnv.keyId()).isEqualTo(TestKeys.golden().keyId());
        assertThat(file).doesNotExist();
        KeyEncryptionKey fromFile = KeyEncryptionKeys.fromEnvironmentOrFile(Map.of(), "MLSBRIDGE_KEK", file);
        assertThat(file).exists();
        assertThat(fromFile.keyId()).isNotEqualTo(fromEnv.keyId());
    }

    @Test
    void clearErrorsThatNeverQuoteTheKey() throws Exception {
        assertThatThrownBy(() -> KeyEncryptionKeys.fromEnvironment(Map.of(), "MLSBRIDGE_KEK"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.KEY_UNAVAILABLE))
                .hasMessageContaining("MLSBRIDGE_KEK is not set");
        assertThatThrownBy(() -> KeyEncryptionKeys.fromEnvironment(Map.of("K", "c2VjcmV0LXNob3J0"), "K"))
                .hasMessageContaining("holds 12 bytes").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> KeyEncryptionKeys.fromEnvironment(Map.of("K", "not base64 at all!"), "K"))
                .hasMessageContaining("not hold valid base64").hasMessageNotContaining("at all");
        assertThatThrownBy(() -> KeyEncryptionKeys.fromFile(dir.resolve("missing")))
                .isInstanceOf(StoreException.class).hasMessageContaining("does not exist");
        Path empty = dir.resolve("empty");
        Files.createFile(empty);
        assertThatThrownBy(() -> KeyEncryptionKeys.fromFile(empty)).hasMessageContaining("holds 0 bytes");
        assertThat(TestKeys.golden().toString()).doesNotContain(TestKeys.GOLDEN_KEK_BASE64).contains("redacted");
    }
}
