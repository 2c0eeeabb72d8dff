package org.mlsbridge.xmpp.room;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.parts.Resourcepart;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.UserId;
import org.mlsbridge.xmpp.XmppCounters;
import org.mlsbridge.xmpp.XmppIds;
import org.mlsbridge.xmpp.mam.Archived;
import org.mlsbridge.xmpp.stanza.MlsStanzas;
import org.mlsbridge.xmpp.stanza.PlainBodies;

/**
 * Turns a room's messages, live or archived, into log entries: who sent it (authenticated by the
 * room), under which id, with which payload, or which plain text (a chat client without MLS);
 * everything else is ignored (subjects, notices, other encryptions' fallbacks) or dropped and
 * counted (cannot be trusted or decoded, or too large).
 */
final class RoomMessageReader {
    private final RoomId room;
    private final EntityBareJid jid;
    private final XmppCounters counters;
    private final int maxPayloadBytes;

    RoomMessageReader(RoomId room, EntityBareJid jid, XmppCounters counters, int maxPayloadBytes) {
        this.room = room;
        this.jid = jid;
        this.counters = counters;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** A reflected groupchat message; the sender is the real JID of the occupant with its nick. */
    Optional<RoomEntry.Msg> live(Message m, Map<String, UserId> occupants) {
        MlsStanzas.Content content = MlsStanzas.roomPayload(m, maxPayloadBytes);
        if (content instanceof MlsStanzas.Content.None && !PlainBodies.isPlain(m)) {
            counters.ignored();
            return Optional.empty();
        }
        Resourcepart nick = m.getFrom() == null ? null : m.getFrom().getResourceOrNull();
        UserId sender = nick == null ? null : occupants.get(nick.toString());
        if (sender == null) {
            if (content instanceof MlsStanzas.Content.None) {
                counters.ignored(); // plain text from the room itself (a notice) or a nick we do not know
            } else {
                counters.dropped("sender is not a known occupant");
            }
            return Optional.empty();
        }
        if (m.getExtension(MUCUser.QNAME) != null) {
            // Only the room may say who sent a message; an occupant's own muc#user element would
            // be stored beside the room's in the archive.
            counters.dropped("occupant message carries a muc#user element");
            return Optional.empty();
        }
        Optional<String> id = RoomStanzaIds.of(m, jid);
        if (id.isEmpty()) {
            counters.dropped("no single stanza-id by the room");
            return Optional.empty();
        }
        return entry(id.get(), sender, m, content);
    }

    /** An archived message: the sender is the real JID the room stored beside it. */
    Optional<RoomEntry.Msg> archived(Archived a) {
        Message m = a.message();
        MlsStanzas.Content content = MlsStanzas.roomPayload(m, maxPayloadBytes);
        if (content instanceof MlsStanzas.Content.None && !PlainBodies.isPlain(m)) {
            counters.ignored();
            return Optional.empty();
        }
        if (m.getType() != Message.Type.groupchat) {
            counters.dropped("archived message is not groupchat");
            return Optional.empty();
        }
        List<MUCUser> xs = m.getExtensions(MUCUser.class);
        if (xs.size() != 1 || xs.get(0).getItem() == null || xs.get(0).getItem().getJid() == null) {
            counters.dropped("archived message without exactly one real JID from the room");
            return Optional.empty();
        }
        if (!RoomStanzaIds.valid(a.id())) {
            counters.dropped("archive id unusable");
            return Optional.empty();
        }
        Optional<UserId> sender = XmppIds.userIfValid(xs.get(0).getItem().getJid().asBareJid());
        if (sender.isEmpty()) {
            counters.dropped("archived message's real JID is not an account");
            return Optional.empty();
        }
        return entry(a.id(), sender.get(), m, content);
    }

    /** A chat client's text without MLS, for the member-mode bot's gateway. */
    private Optional<RoomEntry.Msg> plain(String id, UserId sender, Message m) {
        Optional<String> text = PlainBodies.text(m);
        if (text.isEmpty()) {
            counters.dropped("plain body over " + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes");
            return Optional.empty();
        }
        return Optional.of(new RoomEntry.Msg(id, new RoomEvent.PlainMessage(room, sender, new ServerId(id), text.get()),
                MlsStanzas.originId(m)));
    }

    private Optional<RoomEntry.Msg> entry(String id, UserId sender, Message m, MlsStanzas.Content content) {
        return switch (content) {
            case MlsStanzas.Content.Payload p -> Optional.of(new RoomEntry.Msg(id,
                    new RoomEvent.RoomMessage(room, sender, new ServerId(id), p.bytes()), MlsStanzas.originId(m)));
            case MlsStanzas.Content.Malformed bad -> {
                counters.dropped("malformed payload: " + bad.reason());
                yield Optional.empty();
            }
            case MlsStanzas.Content.None none -> plain(id, sender, m);
        };
    }
}
