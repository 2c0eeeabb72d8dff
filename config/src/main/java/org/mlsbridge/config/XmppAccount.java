package org.mlsbridge.config;

import java.nio.file.Path;

/**
 * The {@code xmpp} section: the account the bridge (or the client) signs in with. {@code jid} is
 * the bare JID ({@code bridge@example.org}); {@code host} and {@code port} say where its server
 * listens for clients (the JID's domain and 5222 unless set); {@code maxStanzaBytes} is the
 * server's stanza size limit, which no stanza we send may exceed.
 */
public record XmppAccount(String jid, String host, int port, Path passwordFile, SecretText password,
        int maxStanzaBytes) {
    /** The account as an identity URI, e.g. {@code xmpp:bridge@example.org}. */
    public String uri() {
        return "xmpp:" + jid;
    }
}
