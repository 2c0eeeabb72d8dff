package org.mlsbridge.bridge.manager;

import java.nio.charset.StandardCharsets;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.InMemoryNetwork;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.group.GroupConfig;
import org.mlsbridge.mls.group.GroupStateCodec;
import org.mlsbridge.mls.group.MlsGroup;
import org.mlsbridge.mls.group.PskLookup;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.keys.SignatureIdentity;
import org.mlsbridge.mls.message.GroupInfo;
import org.mlsbridge.mls.message.MlsMessage;

/**
 * What a rogue member or room occupant does in the attack tests: reads its own client's group
 * state straight from its store, crafts messages our clients would never send, and posts raw
 * bytes into the room with its own account.
 */
final class Attacker {
    private final InMemoryNetwork net;
    private final UserId account;
    private int sent;

    Attacker(InMemoryNetwork net, UserId account) {
        this.net = net;
        this.account = account;
    }

    UserId account() {
        return account;
    }

    /** Posts raw bytes into the room as this account (the server vouches only for the sender). */
    void post(RoomId room, Bytes payload) throws Exception {
        try (var t = net.connect(account)) {
            t.sendToRoom(room, new ClientMessageId("attack-" + account.hashCode() + "-" + sent++), payload);
        }
    }

    /** The member's group as its store holds it (the member must not use its cached copy afterwards). */
    static MlsGroup groupOf(MemberClient member, RoomId room, GroupConfig config) throws Exception {
        return member.store().transaction(tx -> {
            Bytes gid = tx.blob("group:" + room.value()).orElseThrow();
            byte[] state = tx.mls().loadGroupState(gid).orElseThrow();
            return MlsGroup.resume(GroupStateCodec.decode(state, config), config, PskLookup.none());
        });
    }

    /** Writes a crafted group state back, so the member's next restart continues from it. */
    static void saveGroup(MemberClient member, MlsGroup g) {
        member.store().transaction(tx -> {
            tx.mls().saveGroupState(g.groupId(), GroupStateCodec.encode(g.state()));
            return null;
        });
    }

    /** A signature identity naming {@code account} (anyone can make one; the server does not check credentials). */
    SignatureIdentity identityNaming(UserId account, ClientOptions options) {
        return SignatureIdentity.generateBasic(options.groupConfig().crypto(), options.suite(), Wire.identity(account));
    }

    /** The newest GroupInfo members posted in the room. */
    static GroupInfo latestGroupInfo(InMemoryNetwork net, RoomId room) {
        GroupInfo last = null;
        for (RoomEvent.RoomMessage m : net.roomLog(room)) {
            try {
                if (MlsMessage.decode(m.payload()).body() instanceof GroupInfo gi) {
                    last = gi;
                }
            } catch (DecodeException e) {
                // plaintext or garbage
            }
        }
        return last;
    }

    static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
