package org.mlsbridge.xmpp.stanza;

/** Names of mlsbridge's XMPP wire format (docs/wire-formats.md, section XMPP). */
public final class MlsNamespace {
    /** Namespace of every mlsbridge element; the trailing 0 is the format version. */
    public static final String NAMESPACE = "urn:mlsbridge:mls:0";
    /** PEP node that holds a user's KeyPackages, one item per KeyPackage. */
    public static final String KEYPACKAGES_NODE = NAMESPACE + ":keypackages";
    /** Name announced in the EME marker (XEP-0380). */
    public static final String EME_NAME = "MLS";
    /** Body for clients that do not speak MLS (XEP-0428 fallback). */
    public static final String FALLBACK_BODY =
            "[This message is encrypted with MLS (RFC 9420) and cannot be shown by this client.]";
    /**
     * Most base64 characters a provider collects from one element: 1 MiB decoded. Above every
     * server's stanza limit, so it only guards against a hostile server.
     */
    static final int MAX_TEXT_CHARS = 4 * (1024 * 1024 / 3 + 1);

    private MlsNamespace() {
    }
}
