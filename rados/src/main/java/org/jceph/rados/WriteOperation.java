package org.jceph.rados;

import java.util.Collection;
import java.util.Map;
import org.jceph.rados.internal.OsdOp;

/**
 * A compound write (librados' ObjectWriteOperation): steps run in order, atomically, in one
 * message, with {@link IoCtx#operate(String, WriteOperation)}: all apply or none. Guards
 * ({@link #assertExists}, {@link #assertVersion}, {@link #cmpExt}, {@link #cmpXattr}) fail the
 * whole operation with a typed {@link RadosException}. A write returns no data, so it has no
 * reading steps: those are in {@link ReadOperation}.
 *
 * <p>An operation runs once. It is not thread-safe while built.
 */
public final class WriteOperation extends CompoundOp {
    /** An empty write operation: add steps with the methods below. */
    public WriteOperation() {
    }

    private WriteOperation step(String name, OsdOp op) {
        add(name, op, null);
        return this;
    }

    /** Refuses a write without a modifying step: librados would send it as a read. */
    java.util.List<OsdOp> steps() {
        if (!isEmpty() && ops().stream().noneMatch(o -> o.writes() || o.executes())) {
            throw new IllegalOperationException("the write operation has only guards, no step that modifies the object:"
                    + " use a ReadOperation for guards alone");
        }
        return take("write");
    }

    /**
     * Creates the object.
     *
     * @param exclusive whether an existing object fails the operation with EEXIST
     * @return this operation
     */
    public WriteOperation create(boolean exclusive) {
        return step("create", OsdOp.create(exclusive));
    }

    /**
     * Writes {@code data} at {@code offset}.
     *
     * @param offset where, not negative
     * @param data what
     * @return this operation
     */
    public WriteOperation write(long offset, byte[] data) {
        return step("write", OpSteps.write(offset, data));
    }

    /**
     * Replaces the object's data.
     *
     * @param data the new content
     * @return this operation
     */
    public WriteOperation writeFull(byte[] data) {
        return step("writeFull", OpSteps.writeFull(data));
    }

    /**
     * Appends to the object.
     *
     * @param data what to append
     * @return this operation
     */
    public WriteOperation append(byte[] data) {
        return step("append", OpSteps.append(data));
    }

    /**
     * Sets the object's size.
     *
     * @param size the new size, not negative
     * @return this operation
     */
    public WriteOperation truncate(long size) {
        return step("truncate", OpSteps.truncate(size));
    }

    /**
     * Zeroes an extent.
     *
     * @param offset where, not negative
     * @param length how many bytes, not negative
     * @return this operation
     */
    public WriteOperation zero(long offset, long length) {
        return step("zero", OpSteps.zero(offset, length));
    }

    /**
     * Removes the object.
     *
     * @return this operation
     */
    public WriteOperation remove() {
        return step("remove", OsdOp.delete());
    }

    /**
     * Sets an extended attribute.
     *
     * @param name the attribute
     * @param value its value
     * @return this operation
     */
    public WriteOperation setXattr(String name, byte[] value) {
        return step("setXattr", OpSteps.setXattr(name, value));
    }

    /**
     * Removes an extended attribute.
     *
     * @param name the attribute
     * @return this operation
     */
    public WriteOperation rmXattr(String name) {
        return step("rmXattr", OpSteps.rmXattr(name));
    }

    /**
     * Sets omap entries.
     *
     * @param values the entries by key
     * @return this operation
     */
    public WriteOperation omapSetVals(Map<String, byte[]> values) {
        return step("omapSetVals", OpSteps.omapSetVals(values));
    }

    /**
     * Sets the omap header.
     *
     * @param header the header
     * @return this operation
     */
    public WriteOperation omapSetHeader(byte[] header) {
        return step("omapSetHeader", OsdOp.omapSetHeader(Args.notNull(header, "header")));
    }

    /**
     * Removes omap entries.
     *
     * @param keys their keys
     * @return this operation
     */
    public WriteOperation omapRmKeys(Collection<String> keys) {
        return step("omapRmKeys", OpSteps.omapRmKeys(keys));
    }

    /**
     * Removes every omap entry.
     *
     * @return this operation
     */
    public WriteOperation omapClear() {
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
    public WriteOperation setAllocHint(long expectedObjectSize, long expectedWriteSize, int flags) {
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
    public WriteOperation exec(String cls, String method, byte[] input) {
        return step("exec", OpSteps.exec(cls, method, input));
    }

    /**
     * Fails the operation with ENOENT unless the object exists.
     *
     * @return this operation
     */
    public WriteOperation assertExists() {
        return step("assertExists", OsdOp.stat());
    }

    /**
     * Fails the operation with ERANGE or EOVERFLOW unless the object's version is {@code version}.
     *
     * @param version the expected user version
     * @return this operation
     */
    public WriteOperation assertVersion(long version) {
        return step("assertVersion", OsdOp.assertVersion(version));
    }

    /**
     * Fails the operation with {@link RadosException.CompareMismatchException} unless the object's
     * bytes at {@code offset} equal {@code data}.
     *
     * @param offset where, not negative
     * @param data the expected bytes
     * @return this operation
     */
    public WriteOperation cmpExt(long offset, byte[] data) {
        return step("cmpExt", OpSteps.cmpExt(offset, data));
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
    public WriteOperation writeSame(long offset, long length, byte[] pattern) {
        return step("writeSame", OpSteps.writeSame(offset, length, pattern));
    }

    /**
     * Fails the operation with ECANCELED unless the comparison of an xattr (as strings) holds.
     *
     * @param name the attribute
     * @param op the comparison: given value OP stored value, as the OSD evaluates it
     * @param value the value to compare with
     * @return this operation
     */
    public WriteOperation cmpXattr(String name, IoCtx.Comparison op, byte[] value) {
        return step("cmpXattr", OpSteps.cmpXattr(name, op, value));
    }

    /**
     * Fails the operation with ECANCELED unless the comparison of an xattr, read as a decimal
     * number, with {@code value} holds.
     *
     * @param name the attribute
     * @param op the comparison: given value OP stored value, as the OSD evaluates it
     * @param value the number to compare with
     * @return this operation
     */
    public WriteOperation cmpXattr(String name, IoCtx.Comparison op, long value) {
        return step("cmpXattr", OpSteps.cmpXattrU64(name, op, value));
    }

    /**
     * Adds flags to the last step added (librados' set_op_flags2).
     *
     * @param flags the flags
     * @return this operation
     */
    public WriteOperation setFlags(OpFlag... flags) {
        flagLast(flags);
        return this;
    }
}
