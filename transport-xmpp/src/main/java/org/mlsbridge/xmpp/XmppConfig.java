package org.mlsbridge.xmpp;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the XMPP server and the transport's local limits.
 *
 * @param host address to connect to (no DNS SRV lookup)
 * @param domain the XMPP domain of the account
 * @param password the account's password; never logged or printed
 * @param maxPayloadBytes largest MLSMessage sent or accepted; its base64 plus the stanza around it
 *     must stay below the server's stanza limit (Prosody: 256 KiB), which closes the stream on an
 *     oversized stanza instead of answering with an error
 * @param replyTimeout how long to wait for a server reply or a message's reflection
 * @param resendLookback how many of the room's newest archived messages are searched for our
 *     origin-id before a message that may have been sent by an earlier connection is sent again
 * @param tls whether TLS is required (STARTTLS); false only for loopback test servers
 */
public record XmppConfig(String host, int port, String domain, String username, String password,
        int maxPayloadBytes, Duration replyTimeout, int resendLookback, boolean tls) {
    /** 180 KiB of payload is 240 KiB of base64, leaving room for the stanza under 256 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 180 * 1024;

    public XmppConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive");
        }
        if (resendLookback < 1) {
            throw new IllegalArgumentException("resendLookback must be positive");
        }
    }

    public static XmppConfig of(String host, int port, String domain, String username, String password) {
        return new XmppConfig(host, port, domain, username, password, DEFAULT_MAX_PAYLOAD_BYTES,
                Duration.ofSeconds(10), 200, true);
    }

    public XmppConfig withMaxPayloadBytes(int max) {
        return new XmppConfig(host, port, domain, username, password, max, replyTimeout, resendLookback, tls);
    }

    /** Without TLS: only for a server on the loopback interface. */
    public XmppConfig withoutTls() {
        return new XmppConfig(host, port, domain, username, password, maxPayloadBytes, replyTimeout, resendLookback,
                false);
    }

    public XmppConfig withReplyTimeout(Duration timeout) {
        return new XmppConfig(host, port, domain, username, password, maxPayloadBytes, timeout, resendLookback, tls);
    }

    @Override
    public String toString() {
        return "XmppConfig[" + username + "@" + domain + " via " + host + ":" + port + ", maxPayloadBytes="
                + maxPayloadBytes + "]";
    }
}
