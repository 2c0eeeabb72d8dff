package org.mlsbridge.bridge.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.UserId;

/** The plain post a member-mode bot writes for users without MLS (docs/wire-formats.md, "Gatewayed plain text"). */
class GatewayTextTest {
    private static final UserId ALICE = UserId.xmpp("alice@example.org");
    private static final UserId CAROL = UserId.matrix("@carol:example.org");

    @Test
    void labelledWithTheSendersAddressAndNotEndToEndEncrypted() {
        assertThat(GatewayText.of(ALICE, "hello")).isEqualTo("[via bridge, not end-to-end encrypted] alice@example.org: hello");
        assertThat(GatewayText.of(CAROL, "hi")).isEqualTo("[via bridge, not end-to-end encrypted] @carol:example.org: hi");
    }

    @Test
    void aLineOfTheTextCannotPassForAnotherPost() {
        assertThat(GatewayText.of(ALICE, "a\nb\r\nc\rd\u2028e")).endsWith(": a\n  b\n  c\n  d\n  e");
        assertThat(GatewayText.of(ALICE, "x\u0000y\u202Ez\u0007\tw")).endsWith(": x\uFFFDy\uFFFDz\uFFFD\tw");
    }

    @Test
    void aTextTooLongForAPlainMessageIsCutAndSaysSo() {
        String post = GatewayText.of(CAROL, "é".repeat(RoomEvent.PlainMessage.MAX_TEXT_BYTES));
        assertThat(post.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RoomEvent.PlainMessage.MAX_TEXT_BYTES);
        assertThat(post).startsWith("[via bridge, not end-to-end encrypted] @carol:example.org: éé")
                .endsWith("é [cut by the bridge: too long for a plain message]");
    }
}
