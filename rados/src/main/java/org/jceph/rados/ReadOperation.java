package org.jceph.rados;

import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.internal.OsdOp;

/**
 * A compound read (librados' ObjectReadOperation): steps that do not modify the object, run in
 * order, atomically, in one message, with {@link IoCtx#operate(String, ReadOperation)}. Each step
 * that returns something gives a {@link StepResult} whose value is there once the operation has
 * completed; guards ({@link #assertExists}, {@link #cmpXattr}, {@link #cmpExt}) fail the whole
 * operation with a typed {@link RadosException} unless flagged {@link OpFlag#FAILOK}.
 *
 * <p>An operation runs once; its handles belong to that run. It is not thread-safe while built.
 */
public final class ReadOperation extends CompoundOp<ReadOperation> {
    /** An empty read operation: add steps with the methods below. */
    public ReadOperation() {
    }

    /**
     * The object's size and modification time.
     *
     * @return the step's result
     */
    public StepResult<IoCtx.ObjectStat> stat() {
        return add("stat", OsdOp.stat(), ObjectDataOps::decodeStat);
    }

    /**
     * Reads up to {@code length} bytes at {@code offset} (0: to the end of the object).
     *
     * @param offset where, not negative
     * @param length how many bytes at most, not negative
     * @return the step's result: the bytes read
     */
    public StepResult<byte[]> read(long offset, long length) {
        return add("read", readStep(offset, length), b -> b);
    }

    /**
     * Up to {@code max} omap keys after {@code startAfter}.
     *
     * @param startAfter the key to start after ("" from the first)
     * @param max how many at most, not negative
     * @return the step's result: the keys
     */
    public StepResult<SortedSet<String>> omapGetKeys(String startAfter, long max) {
        Args.notNull(startAfter, "startAfter");
        Args.nonNegative(max, "max");
        return add("omapGetKeys", OsdOp.omapGetKeys(startAfter, max), AttrOps::decodeOmapKeys);
    }

    /**
     * Up to {@code max} omap entries after {@code startAfter} whose keys start with {@code prefix}.
     *
     * @param startAfter the key to start after ("" from the first)
     * @param prefix the keys' prefix ("" for any)
     * @param max how many at most, not negative
     * @return the step's result: the entries by key
     */
    public StepResult<SortedMap<String, byte[]>> omapGetVals(String startAfter, String prefix, long max) {
        return add("omapGetVals", omapGetValsStep(startAfter, prefix, max), AttrOps::decodeOmapVals);
    }

    /**
     * The omap entries of the given keys (absent keys are left out).
     *
     * @param keys the keys
     * @return the step's result: the entries by key
     */
    public StepResult<SortedMap<String, byte[]>> omapGetValsByKeys(Collection<String> keys) {
        Args.notNull(keys, "keys");
        return add("omapGetValsByKeys", OsdOp.omapGetValsByKeys(new TreeSet<>(keys)), AttrOps::decodeOmapVals);
    }

    /**
     * The omap header.
     *
     * @return the step's result: the header, empty when none was set
     */
    public StepResult<byte[]> omapGetHeader() {
        return add("omapGetHeader", OsdOp.omapGetHeader(), b -> b);
    }

    /**
     * One extended attribute.
     *
     * @param name the attribute
     * @return the step's result: its value
     */
    public StepResult<byte[]> getXattr(String name) {
        return add("getXattr", getXattrStep(name), b -> b);
    }

    /**
     * Every extended attribute.
     *
     * @return the step's result: the attributes by name
     */
    public StepResult<SortedMap<String, byte[]>> getXattrs() {
        return add("getXattrs", OsdOp.getXattrs(), AttrOps::decodeXattrs);
    }

    /**
     * Checksums of {@code length} bytes at {@code offset}, computed on the OSD: one per
     * {@code chunkSize} bytes, or one for the whole extent with a chunk size of 0. Offset and
     * length 0 cover the whole object.
     *
     * @param type the algorithm
     * @param seed the initial value (truncated to 32 bits for the 32-bit types)
     * @param offset where, not negative
     * @param length how many bytes, not negative
     * @param chunkSize the bytes per checksum, 0 for one over the extent; the length must be a multiple of it
     * @return the step's result: the checksums, in extent order
     */
    public StepResult<List<Long>> checksum(ChecksumType type, long seed, long offset, long length, int chunkSize) {
        Args.notNull(type, "type");
        Args.extent(offset, length);
        Args.nonNegative(chunkSize, "chunkSize");
        if (chunkSize > 0 && length % chunkSize != 0) {
            throw new IllegalArgumentException("length " + length + " is not a multiple of chunkSize " + chunkSize);
        }
        byte[] init = CephEncoder.toBytes(e -> {
            if (type.width() == 8) {
                e.writeU64Le(seed);
            } else {
                e.writeU32Le(seed & 0xffff_ffffL);
            }
        });
        return add("checksum", OsdOp.checksum(type.code(), offset, length, chunkSize, init), out -> {
            CephDecoder d = CephDecoder.of(out, "checksum reply");
            int n = d.readCountLe("checksums", type.width());
            List<Long> values = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(type.width() == 8 ? d.readU64Le() : d.readU32Le());
            }
            return List.copyOf(values);
        });
    }

    /**
     * The object's watchers.
     *
     * @return the step's result: the watchers
     */
    public StepResult<List<IoCtx.Watcher>> listWatchers() {
        return add("listWatchers", OsdOp.listWatchers(), WatchNotifyOps::decodeWatchers);
    }

    /**
     * Runs a read-only object class method; its output is the step's value.
     *
     * @param cls the class
     * @param method the method
     * @param input its input
     * @return the step's result: the method's output
     */
    public StepResult<byte[]> exec(String cls, String method, byte[] input) {
        return add("exec", execStep(cls, method, input), b -> b);
    }
}
