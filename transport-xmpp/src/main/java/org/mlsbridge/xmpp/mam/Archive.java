package org.mlsbridge.xmpp.mam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamElements.MamResultExtension;
import org.jxmpp.jid.Jid;
import org.mlsbridge.bridge.transport.TransportException;

/**
 * Reads a message archive (XEP-0313): a MUC's archive or the user's own. Pages of {@link #PAGE}
 * (Prosody's maximum); a bounded number of pages, so a misbehaving server cannot keep us paging.
 */
public final class Archive {
    public static final int PAGE = 50;
    /** Prosody keeps at most 10,000 messages per archive: 200 pages, with margin. */
    static final int MAX_PAGES = 400;

    private final MamManager mam;
    private final Jid address;

    public Archive(XMPPConnection connection, Jid address) {
        this.mam = MamManager.getInstanceFor(connection, address);
        this.address = address;
    }

    /**
     * Every message after {@code afterId} (empty: from the oldest), oldest first.
     *
     * @throws TransportException non-retryable if the archive does not know {@code afterId} or refuses us
     */
    public List<Archived> after(String afterId) throws TransportException {
        MamManager.MamQueryArgs.Builder args = MamManager.MamQueryArgs.builder().setResultPageSize(PAGE);
        if (!afterId.isEmpty()) {
            args.afterUid(afterId);
        }
        List<Archived> out = new ArrayList<>();
        try {
            MamManager.MamQuery q = mam.queryArchive(args.build());
            for (int pages = 1; ; pages++) {
                collect(q.getPage(), out);
                if (q.isComplete() || q.getMessageCount() == 0) {
                    return out;
                }
                if (pages >= MAX_PAGES) {
                    throw new TransportException("archive of " + address + " has more than " + MAX_PAGES
                            + " pages after " + afterId, false);
                }
                q.pageNext(PAGE);
            }
        } catch (XMPPException.XMPPErrorException e) {
            throw refused(e, afterId);
        } catch (SmackException | InterruptedException e) {
            throw retryable(e);
        }
    }

    /** The newest {@code n} messages (fewer if the archive is smaller), oldest first. */
    public List<Archived> newest(int n) throws TransportException {
        List<Archived> out = new ArrayList<>();
        try {
            MamManager.MamQuery q = mam.queryArchive(MamManager.MamQueryArgs.builder()
                    .queryLastPage().setResultPageSize(Math.min(n, PAGE)).build());
            List<List<Archived>> pages = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < MAX_PAGES; i++) {
                List<Archived> page = new ArrayList<>();
                collect(q.getPage(), page);
                pages.add(page);
                total += page.size();
                if (q.isComplete() || page.isEmpty() || total >= n) {
                    break;
                }
                q.pagePrevious(Math.min(n - total, PAGE));
            }
            Collections.reverse(pages);
            for (List<Archived> p : pages) {
                out.addAll(p);
            }
            return out.size() > n ? out.subList(out.size() - n, out.size()) : out;
        } catch (XMPPException.XMPPErrorException e) {
            throw refused(e, "");
        } catch (SmackException | InterruptedException e) {
            throw retryable(e);
        }
    }

    /** Id of the newest archived message, empty if the archive is empty. */
    public String latestId() throws TransportException {
        List<Archived> last = newest(1);
        return last.isEmpty() ? "" : last.get(0).id();
    }

    private static void collect(MamManager.MamQueryPage page, List<Archived> out) {
        List<MamResultExtension> results = page.getMamResultExtensions();
        for (MamResultExtension r : results) {
            if (r == null || r.getId() == null || r.getForwarded() == null) {
                continue;
            }
            if (r.getForwarded().getForwardedStanza() instanceof Message m) {
                out.add(new Archived(r.getId(), m));
            }
        }
    }

    private TransportException refused(XMPPException.XMPPErrorException e, String afterId) {
        StanzaError.Condition c = e.getStanzaError().getCondition();
        if (c == StanzaError.Condition.item_not_found) {
            return new TransportException("archive of " + address + " does not hold id " + afterId
                    + " (expired or foreign cursor)", false, e);
        }
        if (c == StanzaError.Condition.forbidden) {
            return new ArchiveRefusedException("archive of " + address + " refused us: forbidden", e);
        }
        boolean retry = c == StanzaError.Condition.resource_constraint || c == StanzaError.Condition.internal_server_error
                || c == StanzaError.Condition.service_unavailable || c == StanzaError.Condition.remote_server_timeout;
        return new TransportException("archive of " + address + " refused the query: " + c, retry, e);
    }

    private static TransportException retryable(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TransportException("archive query failed: " + e, true, e);
    }
}
