package org.mlsbridge.xmpp.stanza;

import java.io.IOException;
import java.util.Optional;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link WelcomeElement}; never fails on hostile content (see {@link ElementText}). */
public final class WelcomeElementProvider extends ExtensionElementProvider<WelcomeElement> {
    @Override
    public WelcomeElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String room = parser.getAttributeValue(WelcomeElement.ATTR_ROOM);
        ElementText t = ElementText.read(parser, initialDepth);
        if (room == null || room.isBlank()) {
            return new WelcomeElement("", "", Optional.of("welcome without a room attribute"));
        }
        return new WelcomeElement(room, t.text(), t.problem());
    }
}
