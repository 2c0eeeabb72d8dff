package org.mlsbridge.xmpp.room;

import org.jivesoftware.smackx.muc.MUCAffiliation;

/** MUC affiliations as membership: owners, admins and members belong to the room. */
final class Affiliation {
    private Affiliation() {
    }

    static boolean isMember(MUCAffiliation a) {
        return a == MUCAffiliation.owner || a == MUCAffiliation.admin || a == MUCAffiliation.member;
    }
}
