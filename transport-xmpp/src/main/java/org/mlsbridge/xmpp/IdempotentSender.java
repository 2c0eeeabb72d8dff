package org.mlsbridge.xmpp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sm.StreamManagementException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.Notifier;
import org.mlsbridge.bridge.transport.RoomEvent;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.xmpp.inbox.WelcomeInbox;
import org.mlsbridge.xmpp.mam.Archive;
import org.mlsbridge.xmpp.room.RoomLog;
import org.mlsbridge.xmpp.stanza.MlsStanzas;
import org.mlsbridge.xmpp.stanza.PlainBodies;

/**
 * Sends room messages (MLS or plain text) and Welcomes at most once per client message id (sent as origin-id), also
 * across crashes: an id not seen reflected in this session is first looked up among our messages
 * in the archive.
 */
final class IdempotentSender {
    private final XMPPTCPConnection connection;
    private final XmppConfig config;
    private final WelcomeInbox inbox;
    private final Notifier notifier;
    /** Room sends whose reflection we did not see: a retry looks in the archive again first. */
    private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();

    IdempotentSender(XMPPTCPConnection connection, XmppConfig config, WelcomeInbox inbox, Notifier notifier) {
        this.connection = connection;
        this.config = config;
        this.inbox = inbox;
        this.notifier = notifier;
    }

    void checkSize(Bytes payload) throws TransportException {
        if (payload.length() > config.maxPayloadBytes()) {
            throw new TransportException("payload of " + payload.length() + " bytes is over the limit of "
                    + config.maxPayloadBytes() + " bytes (the server closes the stream on oversized stanzas)", false);
        }
    }

    /** Sends into the room and returns the stanza-id of the reflection (or of the earlier send). */
    ServerId toRoom(RoomLog log, ClientMessageId id, Bytes payload) throws TransportException {
        checkSize(payload);
        return send(log, id, MlsStanzas.roomMessage(log.jid(), id.value(), payload));
    }

    /** Posts plain text into the room (a groupchat body), as idempotently as {@link #toRoom}. */
    ServerId textToRoom(RoomLog log, ClientMessageId id, String text) throws TransportException {
        if (text.getBytes(StandardCharsets.UTF_8).length > RoomEvent.PlainMessage.MAX_TEXT_BYTES) {
            throw new TransportException("text over " + RoomEvent.PlainMessage.MAX_TEXT_BYTES + " bytes", false);
        }
        return send(log, id, PlainBodies.roomText(log.jid(), id.value(), text));
    }

    private ServerId send(RoomLog log, ClientMessageId id, Message stanza) throws TransportException {
        awaitLive(log);
        EntityBareJid jid = log.jid();
        String key = jid + "\0" + id.value();
        Optional<ServerId> known = log.sent(id.value());
        if (known.isPresent()) {
            return known.get();
        }
        if (!log.ownArchiveChecked() || unconfirmed.contains(key)) {
            // A connection before this one (or an attempt whose reflection we missed) may have
            // sent it: look the origin-id up in the archive before sending again.
            log.recordOwnArchive(new Archive(connection, jid).newest(config.resendLookback()));
            known = log.sent(id.value());
            if (known.isPresent()) {
                unconfirmed.remove(key);
                return known.get();
            }
        }
        CompletableFuture<ServerId> reflected = log.awaitReflection(id.value());
        unconfirmed.add(key);
        try {
            connection.sendStanza(stanza);
            ServerId got = reflected.get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            unconfirmed.remove(key);
            return got;
        } catch (SmackException.NotConnectedException e) {
            throw new TransportException("not connected", true, e);
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            throw new TransportException("no reflection of message " + id + " from " + log.room(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while sending", true, e);
        } finally {
            log.forget(id.value(), reflected);
        }
    }

    /** Sends a Welcome to a bare JID; done once the server acknowledged it (XEP-0198). */
    void toUser(EntityBareJid to, RoomId room, ClientMessageId id, Bytes welcome) throws TransportException {
        checkSize(welcome);
        if (inbox.alreadySent(id.value())) {
            return;
        }
        Message m = MlsStanzas.welcomeMessage(to, room.value(), id.value(), welcome);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            if (connection.isSmEnabled()) {
                connection.addStanzaIdAcknowledgedListener(m.getStanzaId(), s -> acked.complete(null));
            } else {
                acked.complete(null);
            }
            connection.sendStanza(m);
            acked.get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (SmackException.NotConnectedException
                | StreamManagementException.StreamManagementNotEnabledException e) {
            throw new TransportException("not connected", true, e);
        } catch (TimeoutException | ExecutionException e) {
            throw new TransportException("the server did not acknowledge Welcome " + id, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while sending", true, e);
        }
        inbox.recordSent(id.value());
    }

    /** After a reconnect the room is re-entered; sends wait for that, up to the reply timeout. */
    private void awaitLive(RoomLog log) throws TransportException {
        long deadline = System.nanoTime() + config.replyTimeout().toNanos();
        while (!log.live()) {
            if (System.nanoTime() > deadline) {
                throw new TransportException("still re-entering " + log.room(), true);
            }
            try {
                notifier.awaitChange(notifier.version(), Duration.ofMillis(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted", true, e);
            }
        }
    }
}
