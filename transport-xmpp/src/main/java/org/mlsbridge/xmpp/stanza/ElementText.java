package org.mlsbridge.xmpp.stanza;

import java.io.IOException;
import java.util.Optional;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * The character content of an element that must hold only text, read by the providers without
 * ever throwing for hostile content: problems are recorded and the element is consumed to its end,
 * so a bad payload costs one dropped message, never the connection.
 */
record ElementText(String text, Optional<String> problem) {
    static ElementText read(XmlPullParser parser, int initialDepth) throws XmlPullParserException, IOException {
        StringBuilder sb = new StringBuilder();
        String problem = null;
        while (true) {
            XmlPullParser.Event event = parser.next();
            if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                break;
            }
            if (event == XmlPullParser.Event.END_DOCUMENT) {
                throw new XmlPullParserException("document ended inside an mlsbridge element");
            }
            if (event == XmlPullParser.Event.START_ELEMENT && problem == null) {
                problem = "unexpected child element <" + parser.getName() + ">";
            }
            if (event == XmlPullParser.Event.TEXT_CHARACTERS && parser.getDepth() == initialDepth) {
                String t = parser.getText();
                if (sb.length() + t.length() > MlsNamespace.MAX_TEXT_CHARS) {
                    if (problem == null) {
                        problem = "payload text over " + MlsNamespace.MAX_TEXT_CHARS + " characters";
                    }
                } else {
                    sb.append(t);
                }
            }
        }
        return new ElementText(problem == null ? sb.toString() : "", Optional.ofNullable(problem));
    }
}
