package org.mlsbridge.xmpp.xml;

import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Smack's pull-parser interface over a StAX reader, reporting events and depths as Smack's own
 * StAX parser does (an element's end has the depth of its start), except that elements deeper
 * than {@code maxDepth} (counted from the stream element, depth 1) are left out: read and
 * dropped without recursion, so no parser above sees them. Nothing mlsbridge or XMPP reads sits
 * that deep (a payload in an archived message is at depth 6); Smack's element parser recurses
 * once per level and would overflow the stack on a hostile stanza nested thousands deep.
 */
final class BoundedXmlParser implements XmlPullParser {
    /** Deepest element passed on, counted from the stream element. */
    static final int MAX_DEPTH = 48;

    private final XMLStreamReader reader;
    private final int maxDepth;
    private int depth;
    private boolean endPending;

    BoundedXmlParser(XMLStreamReader reader, int maxDepth) {
        this.reader = reader;
        this.maxDepth = maxDepth;
    }

    @Override
    public Event next() throws XmlPullParserException {
        if (endPending) {
            depth--;
            endPending = false;
        }
        while (true) {
            Event e = event(advance());
            if (e == Event.START_ELEMENT) {
                if (depth >= maxDepth) {
                    skipElement();
                    continue;
                }
                depth++;
            } else if (e == Event.END_ELEMENT) {
                endPending = true;
            }
            return e;
        }
    }

    /** At the start of an element: reads through its end, iteratively. */
    private void skipElement() throws XmlPullParserException {
        long open = 1;
        while (open > 0) {
            int e = advance();
            if (e == XMLStreamConstants.START_ELEMENT) {
                open++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                open--;
            }
        }
    }

    private int advance() throws XmlPullParserException {
        try {
            if (!reader.hasNext()) {
                throw new XmlPullParserException("the document has ended");
            }
            return reader.next();
        } catch (XMLStreamException e) {
            throw new XmlPullParserException(e);
        }
    }

    @Override
    public String nextText() throws XmlPullParserException {
        if (getEventType() != Event.START_ELEMENT) {
            throw new XmlPullParserException("text is read from a start tag, not " + getEventType());
        }
        StringBuilder text = new StringBuilder();
        while (true) {
            switch (next()) {
                case TEXT_CHARACTERS, IGNORABLE_WHITESPACE -> text.append(reader.getText());
                case END_ELEMENT -> {
                    return text.toString();
                }
                case START_ELEMENT -> throw new XmlPullParserException("element <" + getName() + "> where only text is allowed");
                default -> {
                    // comments and processing instructions carry no text
                }
            }
        }
    }

    @Override
    public TagEvent nextTag() throws XmlPullParserException {
        while (true) {
            switch (next()) {
                case START_ELEMENT -> {
                    return TagEvent.START_ELEMENT;
                }
                case END_ELEMENT -> {
                    return TagEvent.END_ELEMENT;
                }
                case TEXT_CHARACTERS -> {
                    if (!reader.isWhiteSpace()) {
                        throw new XmlPullParserException("text where a tag was expected");
                    }
                }
                case END_DOCUMENT -> throw new XmlPullParserException("the document has ended");
                default -> {
                    // whitespace, comments and processing instructions between tags
                }
            }
        }
    }

    @Override
    public Event getEventType() {
        return event(reader.getEventType());
    }

    private static Event event(int stax) {
        return switch (stax) {
            case XMLStreamConstants.START_ELEMENT -> Event.START_ELEMENT;
            case XMLStreamConstants.END_ELEMENT -> Event.END_ELEMENT;
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> Event.PROCESSING_INSTRUCTION;
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> Event.TEXT_CHARACTERS;
            case XMLStreamConstants.COMMENT -> Event.COMMENT;
            case XMLStreamConstants.SPACE -> Event.IGNORABLE_WHITESPACE;
            case XMLStreamConstants.START_DOCUMENT -> Event.START_DOCUMENT;
            case XMLStreamConstants.END_DOCUMENT -> Event.END_DOCUMENT;
            case XMLStreamConstants.ENTITY_REFERENCE -> Event.ENTITY_REFERENCE;
            default -> Event.OTHER;
        };
    }

    @Override
    public int getDepth() {
        return depth;
    }

    @Override
    public Object getProperty(String name) {
        return reader.getProperty(name);
    }

    @Override
    public String getInputEncoding() {
        return reader.getEncoding();
    }

    @Override
    public int getNamespaceCount() {
        return reader.getNamespaceCount();
    }

    @Override
    public String getNamespacePrefix(int pos) {
        return reader.getNamespacePrefix(pos);
    }

    @Override
    public String getNamespaceUri(int pos) {
        return reader.getNamespaceURI(pos);
    }

    @Override
    public String getNamespace(String prefix) {
        return reader.getNamespaceContext().getNamespaceURI(prefix == null ? "" : prefix);
    }

    @Override
    public String getNamespace() {
        return getNamespace(getPrefix());
    }

    @Override
    public String getPositionDescription() {
        return reader.getLocation().toString();
    }

    @Override
    public int getLineNumber() {
        return reader.getLocation().getLineNumber();
    }

    @Override
    public int getColumnNumber() {
        return reader.getLocation().getColumnNumber();
    }

    @Override
    public boolean isWhiteSpace() {
        return reader.isWhiteSpace();
    }

    @Override
    public String getText() {
        return reader.getText();
    }

    @Override
    public String getName() {
        return getQName().getLocalPart();
    }

    @Override
    public QName getQName() {
        return reader.getName();
    }

    @Override
    public String getPrefix() {
        return reader.getPrefix();
    }

    @Override
    public int getAttributeCount() {
        return reader.getAttributeCount();
    }

    @Override
    public String getAttributeNamespace(int index) {
        return reader.getAttributeNamespace(index);
    }

    @Override
    public String getAttributeName(int index) {
        QName name = getAttributeQName(index);
        return name == null ? null : name.getLocalPart();
    }

    @Override
    public QName getAttributeQName(int index) {
        return reader.getAttributeName(index);
    }

    @Override
    public String getAttributePrefix(int index) {
        return reader.getAttributePrefix(index);
    }

    @Override
    public String getAttributeType(int index) {
        return reader.getAttributeType(index);
    }

    @Override
    public String getAttributeValue(int index) {
        return reader.getAttributeValue(index);
    }

    @Override
    public String getAttributeValue(String namespace, String name) {
        return reader.getAttributeValue(namespace, name);
    }

    @Override
    public boolean supportsRoundtrip() {
        return false;
    }
}
