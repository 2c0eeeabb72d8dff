package org.mlsbridge.xmpp.stanza;

import java.io.IOException;
import java.util.Optional;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link KeyPackageElement}; never fails on hostile content (see {@link ElementText}). */
public final class KeyPackageElementProvider extends ExtensionElementProvider<KeyPackageElement> {
    @Override
    public KeyPackageElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String flag = parser.getAttributeValue(KeyPackageElement.ATTR_LAST_RESORT);
        ElementText t = ElementText.read(parser, initialDepth);
        if (flag != null && !flag.equals("true") && !flag.equals("false") && !flag.equals("1") && !flag.equals("0")) {
            return new KeyPackageElement(false, "", Optional.of("last-resort is not an xs:boolean"));
        }
        boolean lastResort = "true".equals(flag) || "1".equals(flag);
        return new KeyPackageElement(lastResort, t.text(), t.problem());
    }
}
