package org.mlsbridge.xmpp.stanza;

import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link MlsElement}; never fails on hostile content (see {@link ElementText}). */
public final class MlsElementProvider extends ExtensionElementProvider<MlsElement> {
    @Override
    public MlsElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        ElementText t = ElementText.read(parser, initialDepth);
        return new MlsElement(t.text(), t.problem());
    }
}
