package org.mlsbridge.app.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionsTest {
    @Test
    void tlsIsDroppedOnlyForThisMachine() {
        assertThat(Connections.isLoopback("127.0.0.1")).isTrue();
        assertThat(Connections.isLoopback("127.9.9.9")).isTrue();
        assertThat(Connections.isLoopback("::1")).isTrue();
        assertThat(Connections.isLoopback("[::1]")).isTrue();
        assertThat(Connections.isLoopback("localhost")).isTrue();
        assertThat(Connections.isLoopback("10.0.0.1")).isFalse();
        assertThat(Connections.isLoopback("xmpp.example.org")).isFalse();
        assertThat(Connections.isLoopback("localhost.example.org")).isFalse();
    }

    @Test
    void theLargestMessageFitsTheServersStanzaLimit() {
        assertThat(Connections.maxPayloadBytes(262_144)).isEqualTo(180 * 1024);
        for (int limit : new int[] {16_384, 65_536, 262_144, 67_108_864}) {
            int payload = Connections.maxPayloadBytes(limit);
            assertThat((payload + 2) / 3 * 4).as("base64 of %d bytes under %d", payload, limit).isLessThan(limit);
        }
    }
}
