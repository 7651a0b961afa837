package org.jceph.rados;

import java.util.Comparator;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.HObject;

/**
 * A position in a pool's object listing, as librados' {@code rados_object_list_cursor}: an
 * {@code hobject_t} in the order the OSDs sort objects (by the bit-reversed placement hash, then
 * namespace, locator key and name). {@link #BEGIN} is before every object, {@link #END} after
 * every one. Cursors of one pool are ordered ({@link #compareTo}); a worker may be handed a range
 * [start, end) from {@link IoCtx#objectListSlice}.
 */
public final class ObjectCursor implements Comparable<ObjectCursor> {
    /** Before every object (librados' object_list_begin: an empty hobject_t). */
    public static final ObjectCursor BEGIN = new ObjectCursor(new HObject("", "", 0, 0, false, "", Long.MIN_VALUE, 4));
    /** After every object (librados' object_list_end: hobject_t::get_max()). */
    public static final ObjectCursor END = new ObjectCursor(new HObject("", "", 0, 0, true, "", -1, 4));

    private static final Comparator<HObject> ORDER = Comparator.<HObject, Boolean>comparing(HObject::max)
            .thenComparingLong(HObject::pool)
            .thenComparing(h -> Integer.toUnsignedLong(Integer.reverse((int) h.hash())))
            .thenComparing(HObject::nspace)
            .thenComparing((a, b) -> a.key().isEmpty() && b.key().isEmpty() ? 0
                    : effectiveKey(a).compareTo(effectiveKey(b)))
            .thenComparing(HObject::oid)
            .thenComparing(h -> h.snap(), Long::compareUnsigned);

    private final HObject position;

    ObjectCursor(HObject position) {
        this.position = position;
    }

    private static String effectiveKey(HObject h) {
        return h.key().isEmpty() ? h.oid() : h.key();
    }

    /** The hobject_t this cursor stands for. */
    HObject position() {
        return position;
    }

    /** The encoded hobject_t, as PGNLS takes it. */
    byte[] encoded() {
        return CephEncoder.toBytes(position::encode);
    }

    /** The cursor at the start of the range of bit-reversed hashes starting at {@code reversedHash}. */
    static ObjectCursor atReversedHash(long pool, long reversedHash) {
        return new ObjectCursor(new HObject("", "", HObject.NOSNAP, Integer.toUnsignedLong(Integer.reverse((int) reversedHash)),
                false, "", pool, 4));
    }

    /** The cursor of an object itself (to compare listed objects with a range's end). */
    static ObjectCursor ofObject(long pool, long hash, String nspace, String key, String oid) {
        return new ObjectCursor(new HObject(key, oid, HObject.NOSNAP, hash, false, nspace, pool, 4));
    }

    /**
     * Whether this is the end of the listing ({@link #END}).
     *
     * @return true at the end
     */
    public boolean isEnd() {
        return position.max();
    }

    /**
     * The position's hash in bit-reversed order (the order listing follows), 0 to 2^32; 2^32 for {@link #END}.
     *
     * @return the reversed hash
     */
    long reversedHash() {
        return position.max() ? 1L << 32 : Integer.toUnsignedLong(Integer.reverse((int) position.hash()));
    }

    /**
     * Orders cursors as the OSDs order objects.
     *
     * @param other another cursor of the same pool
     * @return negative, zero or positive as this cursor is before, at or after {@code other}
     */
    @Override
    public int compareTo(ObjectCursor other) {
        if (this == BEGIN || other == BEGIN) {
            return this == other ? 0 : this == BEGIN ? -1 : 1;
        }
        return ORDER.compare(position, other.position);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectCursor c && compareTo(c) == 0;
    }

    @Override
    public int hashCode() {
        return position.max() ? 1 : java.util.Objects.hash(position.pool(), position.hash(), position.nspace(),
                position.key(), position.oid(), position.snap());
    }

    @Override
    public String toString() {
        if (this == BEGIN) {
            return "ObjectCursor[BEGIN]";
        }
        if (position.max()) {
            return "ObjectCursor[END]";
        }
        return "ObjectCursor[pool " + position.pool() + " hash 0x" + Long.toHexString(position.hash())
                + (position.oid().isEmpty() ? "" : " " + position.nspace() + "/" + position.oid()) + "]";
    }

    /**
     * A range of the listing: from {@code start} (inclusive) to {@code end} (exclusive).
     *
     * @param start where the range starts
     * @param end where it ends, not included
     */
    public record Range(ObjectCursor start, ObjectCursor end) {
        /**
         * A range; {@code start} must not be after {@code end}.
         *
         * @param start where the range starts
         * @param end where it ends
         */
        public Range {
            Args.notNull(start, "start");
            Args.notNull(end, "end");
            if (start.compareTo(end) > 0) {
                throw new IllegalArgumentException("start " + start + " is after end " + end);
            }
        }

        /** The whole pool. */
        public static final Range ALL = new Range(BEGIN, END);
    }
}
