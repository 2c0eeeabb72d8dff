package org.mlsbridge.matrix;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mlsbridge.bridge.transport.ClientMessageId;
import org.mlsbridge.bridge.transport.ForwardingTransport;
import org.mlsbridge.bridge.transport.RoomId;
import org.mlsbridge.bridge.transport.ServerId;
import org.mlsbridge.bridge.transport.Transport;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A transport whose next room send reaches the server but whose answer is lost (as when the
 * process dies right after sending, before storing that it sent). Records every room send.
 */
final class AckLosingTransport extends ForwardingTransport {
    record Sent(ClientMessageId id, ServerId serverId) {
    }

    private final AtomicBoolean loseNext;
    private final List<Sent> sent;

    AckLosingTransport(Transport delegate, AtomicBoolean loseNext, CopyOnWriteArrayList<Sent> sent) {
        super(delegate);
        this.loseNext = loseNext;
        this.sent = sent;
    }

    @Override
    public ServerId sendToRoom(RoomId room, ClientMessageId id, Bytes payload) throws TransportException {
        ServerId s = inner().sendToRoom(room, id, payload);
        sent.add(new Sent(id, s));
        if (loseNext.compareAndSet(true, false)) {
            throw new TransportException("acknowledgement lost (the server has the message)", true);
        }
        return s;
    }
}
