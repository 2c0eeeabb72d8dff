package org.mlsbridge.bridge.manager;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.bridge.transport.Cursor;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * What the manager persists, one transaction per incoming event or outgoing action: MLS state,
 * the transport cursor, the outbox, de-duplication marks, the application inbox and small named
 * blobs of manager state. {@link SqliteClientStore} is the durable implementation.
 */
public interface ClientStore extends AutoCloseable {
    /** Work in one transaction; if it throws, nothing it wrote is kept. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run(Tx tx) throws E;
    }

    <T, E extends Exception> T transaction(Work<T, E> work) throws E;

    /**
     * A transaction whose commit survives a crash of this process at once, and a power cut only
     * once a later synced commit or {@link #syncBeforeSending} has run: for work that sends
     * nothing and uses no key for sending, whose loss in a power cut only hands something out
     * again (acknowledgements). Where every commit costs the same, it is {@link #transaction}.
     */
    default <T, E extends Exception> T unsyncedTransaction(Work<T, E> work) throws E {
        return transaction(work);
    }

    /**
     * Makes every commit so far durable against a power cut, before the caller acts on them (sends
     * the outbox): state an unsynced transaction moved must never be lost after a message that
     * depends on it has left.
     */
    default void syncBeforeSending() {
    }

    /**
     * False only if the outbox is known to be empty (it was found so, and nothing was queued
     * since): sending it may then skip the transaction that would look. True when unsure.
     */
    default boolean outboxMayHoldEntries() {
        return true;
    }

    /**
     * The MLS storage that groups are bound to ({@code MlsGroup.persistIn}): called inside
     * {@link #transaction}, its calls join that transaction, so a group's saves commit or roll
     * back with the event that caused them (cursor, outbox, inbox).
     */
    MlsStorage groupStorage();

    /** The view of the store inside one transaction; valid only while it runs. */
    interface Tx {
        MlsStorage mls();

        Optional<Cursor> cursor();

        void setCursor(Cursor cursor);

        /** Forgets the cursor: the next poll starts from the beginning of what the transport keeps. */
        void resetCursor();

        /** Queues a message; it is sent after the transaction commits, and again after a crash. */
        void enqueue(Outgoing message);

        List<Outgoing> outbox(int limit);

        /**
         * A queued message encrypted again: it keeps its id (the transport's idempotency key),
         * its place in the send order and its application text.
         */
        void replacePayload(String id, Bytes payload);

        /** The transport confirmed the message; it leaves the outbox. */
        void sent(String id);

        /** Records {@code id} in set {@code kind}; false if it was there already. */
        boolean mark(String kind, String id);

        boolean marked(String kind, String id);

        /** Forgets the ids of set {@code kind} recorded before {@code time}. */
        void forgetMarks(String kind, java.time.Instant time);

        /** Hands a decrypted message to the application. */
        void deliver(ReceivedMessage message);

        List<ReceivedMessage> received(int limit);

        /** The application has handled the message. */
        void acknowledge(ReceivedMessage message);

        Optional<Bytes> blob(String key);

        void putBlob(String key, Bytes value);

        void deleteBlob(String key);
    }

    @Override
    void close();
}
