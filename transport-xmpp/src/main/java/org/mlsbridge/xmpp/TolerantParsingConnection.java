package org.mlsbridge.xmpp;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Smack's TCP connection, skipping every stanza Smack cannot parse. Smack itself skips a stanza
 * only when its parsing throws one of four exception types; some hostile stanzas any room occupant
 * can send make Smack's own parsers throw others (a child named {@code error} without a type is a
 * {@link NullPointerException} in Smack 4.4.8, deep nesting a {@link StackOverflowError} in its
 * recursive element parser), which would close the connection, and again on every replay of the
 * room's archive. Here they cost the one stanza, like the four.
 */
class TolerantParsingConnection extends XMPPTCPConnection {
    private final Consumer<Throwable> unparseable;

    /** @param unparseable told of every stanza skipped, with what Smack threw */
    TolerantParsingConnection(XMPPTCPConnectionConfiguration config, Consumer<Throwable> unparseable) {
        super(config);
        this.unparseable = Objects.requireNonNull(unparseable, "unparseable");
        setParsingExceptionCallback(stanza -> unparseable.accept(stanza.getParsingException()));
    }

    @Override
    protected void parseAndProcessStanza(XmlPullParser parser)
            throws XmlPullParserException, IOException, InterruptedException {
        int depth = parser.getDepth();
        try {
            super.parseAndProcessStanza(parser);
        } catch (RuntimeException | StackOverflowError e) {
            // The stack is unwound here; skip the rest of the stanza as Smack does for the four types.
            if (!(parser.getEventType() == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == depth)) {
                PacketParserUtils.parseContentDepth(parser, depth);
            }
            unparseable.accept(e);
        }
    }
}
