package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlsbridge.bridge.manager.ClientOptions;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.config.ClientSettings;
import org.mlsbridge.config.Network;

/** A client in a bridged room follows the bridge's order: its bot is the room's sequencer. */
class ChatSessionOptionsTest {
    private static final RoomId ROOM = new RoomId("lounge@muc.example.org");

    private static ClientSettings settings(boolean bridged) {
        return new ClientSettings(Network.XMPP, ROOM.value(), Path.of("c.db"), Path.of("c.kek"),
                Optional.of("xmpp:bridge@example.org"), bridged);
    }

    @Test
    void aBridgedRoomIsSequencedByItsBot() {
        ClientOptions o = ChatSession.forRoom(settings(true), ClientOptions.DEFAULT);
        assertThat(o.policies().forRoom(ROOM).sequencer()).contains(new UserId("xmpp:bridge@example.org"));
        assertThat(o.policies().forRoom(new RoomId("other@muc.example.org")).sequencer()).isEmpty();
    }

    @Test
    void aRoomOfOneNetworkFollowsItsServer() {
        ClientOptions o = ChatSession.forRoom(settings(false), ClientOptions.DEFAULT);
        assertThat(o.policies().forRoom(ROOM).sequencer()).isEmpty();
    }
}
