package org.mlsbridge.xmpp.pep;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.NamedElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.AccessModel;
import org.jivesoftware.smackx.pubsub.GetItemsRequest;
import org.jivesoftware.smackx.pubsub.ItemsExtension;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubElementType;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.jivesoftware.smackx.pubsub.packet.PubSub;
import org.jxmpp.jid.EntityBareJid;
import org.mlsbridge.bridge.transport.PublishedKeyPackage;
import org.mlsbridge.bridge.transport.TransportException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.xmpp.stanza.KeyPackageElement;
import org.mlsbridge.xmpp.stanza.MalformedPayloadException;
import org.mlsbridge.xmpp.stanza.MlsNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KeyPackage directory on PEP (XEP-0163): node {@link MlsNamespace#KEYPACKAGES_NODE} of each
 * user's account, access model open, one item per KeyPackage with the hex KeyPackageRef as item
 * id, the last_resort one marked. PEP cannot delete on read, so a claim picks a random one-time
 * item and the owner retracts it once it was used; this connection also never hands out the same
 * item twice.
 */
public final class KeyPackageNode {
    private static final Logger LOG = LoggerFactory.getLogger(KeyPackageNode.class);
    /** PEP caps max_items at the server's pep_max_items; large enough for any pool. */
    static final int MAX_ITEMS = 1000;

    private final XMPPTCPConnection connection;
    private final EntityBareJid self;
    private final int maxKeyPackageBytes;
    private final SecureRandom random = new SecureRandom();
    private final Map<EntityBareJid, Set<String>> claimed = new HashMap<>();
    private boolean configured;

    public KeyPackageNode(XMPPTCPConnection connection, EntityBareJid self, int maxKeyPackageBytes) {
        this.connection = connection;
        this.self = self;
        this.maxKeyPackageBytes = maxKeyPackageBytes;
    }

    /** An item as read from a node; malformed items are skipped by the readers. */
    record Stored(String id, boolean lastResort, Bytes keyPackage) {
    }

    public synchronized void publish(List<PublishedKeyPackage> oneTime, Optional<PublishedKeyPackage> lastResort)
            throws TransportException {
        try {
            LeafNode node = ownNode();
            Map<String, Stored> present = new HashMap<>();
            for (Stored s : read(self)) {
                present.put(s.id(), s);
            }
            List<PayloadItem<KeyPackageElement>> items = new ArrayList<>();
            for (PublishedKeyPackage kp : oneTime) {
                if (!present.containsKey(kp.ref().hex())) {
                    items.add(new PayloadItem<>(kp.ref().hex(), KeyPackageElement.of(kp.keyPackage(), false)));
                }
            }
            List<String> oldLastResort = new ArrayList<>();
            if (lastResort.isPresent()) {
                String id = lastResort.get().ref().hex();
                if (!present.containsKey(id)) {
                    items.add(new PayloadItem<>(id, KeyPackageElement.of(lastResort.get().keyPackage(), true)));
                }
                for (Stored s : present.values()) {
                    if (s.lastResort() && !s.id().equals(id)) {
                        oldLastResort.add(s.id());
                    }
                }
            }
            // One item per publish: PEP services need not accept several items in one request.
            for (PayloadItem<KeyPackageElement> item : items) {
                node.publish(item);
            }
            for (String id : oldLastResort) {
                retract(id);
            }
            LOG.info("key packages published: user={} oneTime={} lastResort={}", self, items.size()
                    - (lastResort.isPresent() && !present.containsKey(lastResort.get().ref().hex()) ? 1 : 0),
                    lastResort.isPresent());
        } catch (XMPPException.XMPPErrorException e) {
            throw new TransportException("publishing KeyPackages refused: " + e.getStanzaError().getCondition(), false, e);
        } catch (SmackException | InterruptedException e) {
            throw retryable("publishing KeyPackages", e);
        }
    }

    public synchronized int available() throws TransportException {
        int n = 0;
        for (Stored s : read(self)) {
            if (!s.lastResort()) {
                n++;
            }
        }
        return n;
    }

    public synchronized void retract(Bytes ref) throws TransportException {
        retract(ref.hex());
    }

    private void retract(String id) throws TransportException {
        PubSub request = new PubSub();
        request.setTo(self);
        request.setType(IQ.Type.set);
        request.addExtension(new RetractElement(MlsNamespace.KEYPACKAGES_NODE, List.of(id)));
        try {
            connection.sendIqRequestAndWaitForResponse(request);
        } catch (XMPPException.XMPPErrorException e) {
            StanzaError.Condition c = e.getStanzaError().getCondition();
            if (c == StanzaError.Condition.item_not_found) {
                return; // unknown refs are ignored
            }
            throw new TransportException("retracting a KeyPackage refused: " + c, false, e);
        } catch (SmackException | InterruptedException e) {
            throw retryable("retracting a KeyPackage", e);
        }
    }

    public synchronized Optional<Bytes> claim(EntityBareJid user) throws TransportException {
        List<Stored> items = read(user);
        Set<String> handedOut = claimed.computeIfAbsent(user, u -> new HashSet<>());
        List<Stored> fresh = new ArrayList<>();
        Optional<Stored> lastResort = Optional.empty();
        for (Stored s : items) {
            if (s.lastResort()) {
                lastResort = Optional.of(s);
            } else if (!handedOut.contains(s.id())) {
                fresh.add(s);
            }
        }
        if (!fresh.isEmpty()) {
            Stored pick = fresh.get(random.nextInt(fresh.size()));
            handedOut.add(pick.id());
            return Optional.of(pick.keyPackage());
        }
        return lastResort.map(Stored::keyPackage);
    }

    /** The well-formed items of {@code user}'s node; none if the node does not exist. */
    List<Stored> read(EntityBareJid user) throws TransportException {
        PubSub request = PubSub.createPubsubPacket(user, IQ.Type.get, new GetItemsRequest(MlsNamespace.KEYPACKAGES_NODE));
        PubSub reply;
        try {
            reply = connection.sendIqRequestAndWaitForResponse(request);
        } catch (XMPPException.XMPPErrorException e) {
            StanzaError.Condition c = e.getStanzaError().getCondition();
            // A node that does not exist reads as not found, or for other users as forbidden
            // (PEP's default access model): either way there is nothing to claim.
            if (c == StanzaError.Condition.item_not_found || (c == StanzaError.Condition.forbidden && !user.equals(self))) {
                return List.of();
            }
            throw new TransportException("reading KeyPackages of " + user + " refused: "
                    + e.getStanzaError().getCondition(), false, e);
        } catch (SmackException | InterruptedException e) {
            throw retryable("reading KeyPackages of " + user, e);
        }
        ItemsExtension items = reply.getExtension(PubSubElementType.ITEMS);
        List<Stored> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (NamedElement e : items.getItems()) {
            if (e instanceof PayloadItem<?> p && p.getId() != null && p.getPayload() instanceof KeyPackageElement k) {
                try {
                    out.add(new Stored(p.getId(), k.lastResort(), k.payload(maxKeyPackageBytes)));
                } catch (MalformedPayloadException ex) {
                    LOG.warn("malformed KeyPackage item skipped: user={} item={} reason={}", user, p.getId(),
                            ex.getMessage());
                }
            }
        }
        return out;
    }

    private LeafNode ownNode() throws XMPPException.XMPPErrorException, SmackException, InterruptedException {
        PubSubManager pep = PubSubManager.getInstanceFor(connection, self);
        LeafNode node = pep.getOrCreateLeafNode(MlsNamespace.KEYPACKAGES_NODE);
        if (!configured) {
            // A new PEP node is presence-only with max_items 1; open it and make room for the pool.
            FillableConfigureForm form = node.getNodeConfiguration().getFillableForm();
            form.setAccessModel(AccessModel.open);
            form.setMaxItems(MAX_ITEMS);
            form.setPersistentItems(true);
            form.setNotifyRetract(true);
            node.sendConfigurationForm(form);
            configured = true;
        }
        return node;
    }

    /** Forgets per-connection knowledge after a new session (the node may have changed meanwhile). */
    public synchronized void reset() {
        configured = false;
    }

    private static TransportException retryable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TransportException(what + " failed: " + e, true, e);
    }
}
