package org.mlsbridge.mls.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.codec.DecodeException;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.storage.MlsStorage;

/**
 * The part of a group state that sending or reading an application message moves: the secret
 * trees of the current and the past epochs (ratchet positions and retained keys). Everything
 * else in a {@link GroupState} is immutable, so when a call leaves the state object in place,
 * saving these bytes saves all it changed, at a fraction of the whole state's size (which grows
 * with the members' leaves in four trees).
 *
 * <p>Format, version {@value #VERSION}: {@code uint16 version || uint64 epoch || SecretTree ||
 * (uint64 epoch || SecretTree)<V>} for the past epochs in the state's order. The epochs are
 * checked on load, so ratchets can never be applied to a state of another epoch.
 */
public final class GroupRatchets {
    /** Format version; bump when the layout changes and keep reading the old ones. */
    public static final int VERSION = 1;

    private GroupRatchets() {
    }

    /** The ratchets of {@code s}; the bytes hold secrets in the clear (zero them once stored). */
    public static byte[] encode(GroupState s) {
        TlsWriter w = new TlsWriter(4096);
        w.uint16(VERSION);
        w.uint64(s.epoch());
        s.secretTree().writeTo(w);
        w.vector(s.pastEpochs(), (ww, p) -> {
            ww.uint64(p.epoch());
            p.secretTree().writeTo(ww);
        });
        return w.toByteArrayAndWipe();
    }

    /**
     * Hands the ratchets of {@code s} to {@code storage} and wipes the encoding.
     *
     * @return false if the storage does not keep ratchets apart: save the whole state instead
     */
    static boolean save(MlsStorage storage, GroupState s) {
        byte[] encoded = encode(s);
        try {
            return storage.saveGroupRatchets(s.groupId(), encoded);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * {@code s} with the ratchets stored apart for its group, if there are any; the secret trees
     * they replace are wiped.
     *
     * @throws DecodeException the ratchets are malformed or belong to other epochs than {@code s}
     */
    static GroupState restore(MlsStorage storage, GroupState s, GroupConfig config) throws DecodeException {
        Optional<byte[]> stored = storage.loadGroupRatchets(s.groupId());
        if (stored.isEmpty()) {
            return s;
        }
        byte[] encoded = stored.get();
        try {
            return apply(s, encoded, config);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** {@code s} with the secret trees of {@code encoded} (see {@link #restore}). */
    static GroupState apply(GroupState s, byte[] encoded, GroupConfig config) throws DecodeException {
        TlsReader r = TlsReader.of(encoded);
        Decoded d;
        try {
            d = read(r, s, config);
        } catch (RuntimeException e) {
            throw new DecodeException("corrupt group ratchets: " + e.getMessage());
        }
        try {
            r.finish();
        } catch (DecodeException e) {
            d.current().destroy();
            d.past().forEach(SecretTree::destroy);
            throw e;
        }
        GroupState restored = s.withSecretTrees(d.current(), d.past());
        s.secretTree().destroy();
        s.pastEpochs().forEach(p -> p.secretTree().destroy());
        return restored;
    }

    private record Decoded(SecretTree current, List<SecretTree> past) {
    }

    private static Decoded read(TlsReader r, GroupState s, GroupConfig config) throws DecodeException {
        int version = r.uint16();
        if (version != VERSION) {
            throw new DecodeException("unsupported group ratchets format version " + version);
        }
        long epoch = r.uint64();
        if (epoch != s.epoch()) {
            throw new DecodeException("stored ratchets are of epoch " + Long.toUnsignedString(epoch)
                    + ", the stored state of epoch " + Long.toUnsignedString(s.epoch()));
        }
        SecretTree current = SecretTree.readFrom(r, s.crypto(), config.secretTree());
        List<SecretTree> past = new ArrayList<>();
        try {
            List<Long> epochs = r.vector(rr -> {
                long e = rr.uint64();
                past.add(SecretTree.readFrom(rr, s.crypto(), config.secretTree()));
                return e;
            });
            List<Long> expected = s.pastEpochs().stream().map(PastEpoch::epoch).toList();
            if (!epochs.equals(expected)) {
                throw new DecodeException("stored ratchets are of past epochs " + epochs + ", the stored state has "
                        + expected);
            }
            return new Decoded(current, past);
        } catch (DecodeException | RuntimeException e) {
            current.destroy();
            past.forEach(SecretTree::destroy);
            throw e;
        }
    }
}
