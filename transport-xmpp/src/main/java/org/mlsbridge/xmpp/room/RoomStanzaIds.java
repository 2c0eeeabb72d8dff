package org.mlsbridge.xmpp.room;

import java.util.List;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jxmpp.jid.EntityBareJid;

/** The room's stanza-id (XEP-0359) of a reflected message: the one whose {@code by} is the room. */
final class RoomStanzaIds {
    private RoomStanzaIds() {
    }

    static Optional<String> of(Message m, EntityBareJid room) {
        String found = null;
        List<ExtensionElement> ids = m.getExtensions(StanzaIdElement.ELEMENT, StanzaIdElement.NAMESPACE);
        for (ExtensionElement e : ids) {
            if (e instanceof StanzaIdElement s && s.getBy() != null && room.toString().equals(s.getBy())) {
                if (found != null) {
                    return Optional.empty();
                }
                found = s.getId();
            }
        }
        return found != null && valid(found) ? Optional.of(found) : Optional.empty();
    }

    /** Ids go into cursors: printable, no spaces, bounded. */
    static boolean valid(String id) {
        return !id.isEmpty() && id.length() <= 200 && !id.equals("-") && id.chars().allMatch(c -> c > ' ' && c < 127);
    }
}
