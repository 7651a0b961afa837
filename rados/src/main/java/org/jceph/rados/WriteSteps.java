package org.jceph.rados;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.rados.internal.OsdOp;

/**
 * The modifying steps of a compound write, declared and encoded once for both builders that
 * carry them: {@link WriteOperation} and the deprecated {@code IoCtx.Operation}. Each checks its
 * arguments before anything is sent.
 *
 * @param <T> the operation's own type, which the step methods return for chaining
 */
abstract class WriteSteps<T extends WriteSteps<T>> extends CompoundOp<T> {

    /**
     * Creates the object.
     *
     * @param exclusive whether an existing object fails the operation with EEXIST
     * @return this operation
     */
    public T create(boolean exclusive) {
        return step("create", OsdOp.create(exclusive));
    }

    /**
     * Writes {@code data} at {@code offset}.
     *
     * @param offset where, not negative
     * @param data what
     * @return this operation
     */
    public T write(long offset, byte[] data) {
        Args.offset(offset);
        return step("write", OsdOp.write(offset, Args.notNull(data, "data")));
    }

    /**
     * Replaces the object's data.
     *
     * @param data the new content
     * @return this operation
     */
    public T writeFull(byte[] data) {
        return step("writeFull", OsdOp.writeFull(Args.notNull(data, "data")));
    }

    /**
     * Appends to the object.
     *
     * @param data what to append
     * @return this operation
     */
    public T append(byte[] data) {
        return step("append", OsdOp.append(Args.notNull(data, "data")));
    }

    /**
     * Sets the object's size.
     *
     * @param size the new size, not negative
     * @return this operation
     */
    public T truncate(long size) {
        Args.nonNegative(size, "size");
        return step("truncate", OsdOp.truncate(size));
    }

    /**
     * Zeroes an extent.
     *
     * @param offset where, not negative
     * @param length how many bytes, not negative
     * @return this operation
     */
    public T zero(long offset, long length) {
        Args.extent(offset, length);
        return step("zero", OsdOp.zero(offset, length));
    }

    /**
     * Repeats {@code pattern} across {@code length} bytes at {@code offset} (the OSD's WRITESAME);
     * {@code length} must be a whole multiple of the pattern's length (the OSD answers EINVAL
     * otherwise).
     *
     * @param offset where, not negative
     * @param length how many bytes, not negative
     * @param pattern the bytes to repeat, not empty
     * @return this operation
     * @throws IllegalArgumentException when the pattern is empty or does not divide the length
     */
    public T writeSame(long offset, long length, byte[] pattern) {
        Args.extent(offset, length);
        Args.notNull(pattern, "pattern");
        if (pattern.length == 0 || length % pattern.length != 0) {
            throw new IllegalArgumentException("writeSame: the length " + length
                    + " is not a whole multiple of a non-empty pattern (" + pattern.length + " bytes)");
        }
        return step("writeSame", OsdOp.writesame(offset, length, pattern));
    }

    /**
     * Removes the object.
     *
     * @return this operation
     */
    public T remove() {
        return step("remove", OsdOp.delete());
    }

    /**
     * Sets an extended attribute.
     *
     * @param name the attribute
     * @param value its value
     * @return this operation
     */
    public T setXattr(String name, byte[] value) {
        Args.notNull(name, "name");
        return step("setXattr", OsdOp.setXattr(name, Args.notNull(value, "value")));
    }

    /**
     * Removes an extended attribute.
     *
     * @param name the attribute
     * @return this operation
     */
    public T rmXattr(String name) {
        return step("rmXattr", OsdOp.rmXattr(Args.notNull(name, "name")));
    }

    /**
     * Sets omap entries.
     *
     * @param values the entries by key
     * @return this operation
     */
    public T omapSetVals(Map<String, byte[]> values) {
        Args.notNull(values, "values");
        return step("omapSetVals", OsdOp.omapSetVals(new TreeMap<>(values)));
    }

    /**
     * Sets the omap header.
     *
     * @param header the header
     * @return this operation
     */
    public T omapSetHeader(byte[] header) {
        return step("omapSetHeader", OsdOp.omapSetHeader(Args.notNull(header, "header")));
    }

    /**
     * Removes omap entries.
     *
     * @param keys their keys
     * @return this operation
     */
    public T omapRmKeys(Collection<String> keys) {
        return step("omapRmKeys", OsdOp.omapRmKeys(Args.notNull(keys, "keys")));
    }

    /**
     * Removes every omap entry.
     *
     * @return this operation
     */
    public T omapClear() {
        return step("omapClear", OsdOp.omapClear());
    }

    /**
     * Tells the OSD the expected object and write sizes (librados' set_alloc_hint2).
     *
     * @param expectedObjectSize the expected size of the object, not negative
     * @param expectedWriteSize the expected size of writes, not negative
     * @param flags CEPH_OSD_ALLOC_HINT_FLAG_* bits (0 for none)
     * @return this operation
     */
    public T setAllocHint(long expectedObjectSize, long expectedWriteSize, int flags) {
        Args.nonNegative(expectedObjectSize, "expectedObjectSize");
        Args.nonNegative(expectedWriteSize, "expectedWriteSize");
        return step("setAllocHint", OsdOp.setAllocHint(expectedObjectSize, expectedWriteSize, flags));
    }

    /**
     * Runs an object class method; in a write its output is not returned.
     *
     * @param cls the class
     * @param method the method
     * @param input its input
     * @return this operation
     */
    public T exec(String cls, String method, byte[] input) {
        return step("exec", execStep(cls, method, input));
    }
}
