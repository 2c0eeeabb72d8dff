package org.mlsbridge.xmpp.room;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The members of a room at one position (user ids in natural order), immutable so that a room's
 * consecutive positions can share one set: a poll delivering many messages copies the members only
 * where a membership event changes them, and {@link RoomPosition} need not copy a set of this type.
 */
final class MemberSet extends AbstractSet<String> implements SortedSet<String> {
    private static final MemberSet EMPTY = new MemberSet(new TreeSet<>());

    /** A read-only view of a tree that only this object holds, so nobody can change it. */
    private final SortedSet<String> ids;

    private MemberSet(TreeSet<String> owned) {
        this.ids = Collections.unmodifiableSortedSet(owned);
    }

    static MemberSet empty() {
        return EMPTY;
    }

    /** {@code ids} itself if it is a member set already, else a copy in natural order. */
    static MemberSet of(Collection<String> ids) {
        if (ids instanceof MemberSet m) {
            return m;
        }
        TreeSet<String> copy = new TreeSet<>();
        copy.addAll(ids);
        return new MemberSet(copy);
    }

    MemberSet with(String id) {
        if (ids.contains(id)) {
            return this;
        }
        TreeSet<String> copy = new TreeSet<>(ids);
        copy.add(id);
        return new MemberSet(copy);
    }

    MemberSet without(String id) {
        if (!ids.contains(id)) {
            return this;
        }
        TreeSet<String> copy = new TreeSet<>(ids);
        copy.remove(id);
        return new MemberSet(copy);
    }

    @Override
    public Iterator<String> iterator() {
        return ids.iterator();
    }

    @Override
    public int size() {
        return ids.size();
    }

    @Override
    public boolean contains(Object o) {
        return ids.contains(o);
    }

    @Override
    public Comparator<? super String> comparator() {
        return ids.comparator();
    }

    @Override
    public SortedSet<String> subSet(String fromElement, String toElement) {
        return ids.subSet(fromElement, toElement);
    }

    @Override
    public SortedSet<String> headSet(String toElement) {
        return ids.headSet(toElement);
    }

    @Override
    public SortedSet<String> tailSet(String fromElement) {
        return ids.tailSet(fromElement);
    }

    @Override
    public String first() {
        return ids.first();
    }

    @Override
    public String last() {
        return ids.last();
    }
}
