package org.mlsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentOverridesTest {
    @TempDir
    Path dir;

    @Test
    void theNamingScheme() {
        assertThat(ConfigKey.XMPP_PASSWORD_FILE.environmentVariable()).contains("MLSBRIDGE_XMPP_PASSWORD_FILE");
        assertThat(ConfigKey.BRIDGE_KEY_ENCRYPTION_KEY_FILE.environmentVariable())
                .contains("MLSBRIDGE_BRIDGE_KEY_ENCRYPTION_KEY_FILE");
        assertThat(ConfigKey.MATRIX_USER_ID.environmentVariable()).contains("MLSBRIDGE_MATRIX_USER_ID");
        assertThat(ConfigKey.BRIDGE_ROOMS.environmentVariable()).isEmpty();
        for (ConfigKey k : ConfigKey.values()) {
            k.environmentVariable().ifPresent(v -> assertThat(v).isEqualTo(
                    "MLSBRIDGE_" + k.section().toUpperCase() + "_" + k.key().toUpperCase().replace('-', '_')));
        }
    }

    @Test
    void anEnvironmentValueReplacesTheFilesAndIsNoted() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        f.secret("secrets/other-password", "from elsewhere\n");
        ConfigLoader.Loaded loaded = f.load(Map.of("MLSBRIDGE_XMPP_PORT", "5223",
                "MLSBRIDGE_XMPP_PASSWORD_FILE", "secrets/other-password",
                "MLSBRIDGE_BRIDGE_BOT_MODE", "member",
                "MLSBRIDGE_DEBUG", "1"));
        XmppAccount xmpp = loaded.config().xmpp().orElseThrow();
        assertThat(xmpp.port()).isEqualTo(5223);
        assertThat(xmpp.password().reveal()).isEqualTo("from elsewhere");
        assertThat(loaded.config().bridge().orElseThrow().botMode()).isEqualTo(BotMode.MEMBER);
        assertThat(loaded.notes()).contains("overridden by the environment: xmpp.port (from MLSBRIDGE_XMPP_PORT)",
                "overridden by the environment: bridge.bot-mode (from MLSBRIDGE_BRIDGE_BOT_MODE)");
    }

    @Test
    void anEmptyVariableIsIgnored() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        assertThat(f.load(Map.of("MLSBRIDGE_XMPP_PORT", "")).config().xmpp().orElseThrow().port()).isEqualTo(5222);
    }

    @Test
    void theEnvironmentCanSupplyASectionTheFileLacks() throws Exception {
        ConfigFixture f = new ConfigFixture(dir);
        f.yaml = f.yaml.substring(0, f.yaml.indexOf("client:"));
        ClientSettings client = f.load(Map.of("MLSBRIDGE_CLIENT_NETWORK", "matrix",
                "MLSBRIDGE_CLIENT_ROOM", "!room:example.org")).config().forClient().client();
        assertThat(client).extracting(ClientSettings::network, ClientSettings::room)
                .containsExactly(Network.MATRIX, "!room:example.org");
    }

    @Test
    void aBadEnvironmentValueIsReportedUnderItsVariable() {
        ConfigFixture f = new ConfigFixture(dir);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> f.load(Map.of("MLSBRIDGE_XMPP_PORT", "0")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("xmpp.port (from MLSBRIDGE_XMPP_PORT)");
            assertThat(p.problem()).contains("out of range");
        });
    }
}
