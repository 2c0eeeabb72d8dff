package org.mlsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    @TempDir
    Path dir;

    private String xmppPasswordAfterWriting(String content) throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        f.secret("secrets/xmpp-password", content);
        return f.load().config().xmpp().orElseThrow().password().reveal();
    }

    @Test
    void theLineBreakAnEditorAddsIsNotPartOfThePassword() throws Exception {
        assertThat(xmppPasswordAfterWriting("s3cret\n")).isEqualTo("s3cret");
        assertThat(xmppPasswordAfterWriting("s3cret\r\n")).isEqualTo("s3cret");
        assertThat(xmppPasswordAfterWriting("s3cret")).isEqualTo("s3cret");
        assertThat(xmppPasswordAfterWriting("  spaced out \n")).isEqualTo("  spaced out ");
        assertThat(xmppPasswordAfterWriting("pässwörd\n")).isEqualTo("pässwörd");
    }

    @Test
    void aPasswordFileOfSeveralLinesIsRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> xmppPasswordAfterWriting("first\nsecond\n"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("xmpp.password-file");
            assertThat(p.problem()).contains("more than one line");
        });
        assertThat(e.getMessage()).doesNotContain("first", "second");
    }

    @Test
    void aPasswordFileThatIsNotUtf8IsRefused() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        Files.write(dir.resolve("secrets/xmpp-password"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        ConfigException e = catchThrowableOfType(ConfigException.class, f::load);
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.problem()).contains("not UTF-8"));
    }

    @Test
    void aSecretFileOthersCanReadIsPointedOut() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        Files.setPosixFilePermissions(dir.resolve("secrets/matrix-password"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(f.load().notes()).anySatisfy(n -> assertThat(n).startsWith("matrix.password-file: ")
                .contains("readable by group or others", "chmod 600"));
    }

    @Test
    void secretTextHidesItselfAndCanBeWiped() {
        SecretText s = new SecretText("hunter2");
        assertThat(s).hasToString("SecretText[redacted]");
        assertThat(s.length()).isEqualTo(7);
        s.destroy();
        assertThat(s.reveal()).isEqualTo("\0".repeat(7));
    }
}
