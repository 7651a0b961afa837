package org.jceph.rados;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.rados.internal.OsdOp;

/**
 * The steps of compound operations, each with its arguments checked: what {@link WriteOperation},
 * {@link ReadOperation} and the deprecated {@code IoCtx.Operation} add, built in one place.
 */
final class OpSteps {
    private OpSteps() {
    }

    static OsdOp write(long offset, byte[] data) {
        Args.offset(offset);
        return OsdOp.write(offset, Args.notNull(data, "data"));
    }

    static OsdOp writeFull(byte[] data) {
        return OsdOp.writeFull(Args.notNull(data, "data"));
    }

    static OsdOp append(byte[] data) {
        return OsdOp.append(Args.notNull(data, "data"));
    }

    static OsdOp truncate(long size) {
        Args.nonNegative(size, "size");
        return OsdOp.truncate(size);
    }

    static OsdOp zero(long offset, long length) {
        Args.extent(offset, length);
        return OsdOp.zero(offset, length);
    }

    static OsdOp setXattr(String name, byte[] value) {
        Args.notNull(name, "name");
        return OsdOp.setXattr(name, Args.notNull(value, "value"));
    }

    static OsdOp rmXattr(String name) {
        Args.notNull(name, "name");
        return OsdOp.rmXattr(name);
    }

    static OsdOp omapSetVals(Map<String, byte[]> values) {
        Args.notNull(values, "values");
        return OsdOp.omapSetVals(new TreeMap<>(values));
    }

    static OsdOp omapRmKeys(Collection<String> keys) {
        Args.notNull(keys, "keys");
        return OsdOp.omapRmKeys(keys);
    }

    static OsdOp exec(String cls, String method, byte[] input) {
        Args.notNull(cls, "cls");
        Args.notNull(method, "method");
        return OsdOp.call(cls, method, Args.notNull(input, "input"));
    }

    static OsdOp cmpExt(long offset, byte[] data) {
        Args.offset(offset);
        return OsdOp.cmpext(offset, Args.notNull(data, "data"));
    }

    static OsdOp writeSame(long offset, long length, byte[] pattern) {
        Args.extent(offset, length);
        Args.notNull(pattern, "pattern");
        if (pattern.length == 0 || length % pattern.length != 0) {
            throw new IllegalArgumentException("writeSame: the length " + length
                    + " is not a whole multiple of a non-empty pattern (" + pattern.length + " bytes)");
        }
        return OsdOp.writesame(offset, length, pattern);
    }

    static OsdOp cmpXattr(String name, IoCtx.Comparison op, byte[] value) {
        Args.notNull(name, "name");
        Args.notNull(op, "op");
        return OsdOp.cmpXattr(name, op.code(), 1, Args.notNull(value, "value"));
    }

    static OsdOp cmpXattrU64(String name, IoCtx.Comparison op, long value) {
        Args.notNull(name, "name");
        Args.notNull(op, "op");
        return OsdOp.cmpXattr(name, op.code(), 2, org.jceph.encoding.CephEncoder.toBytes(e -> e.writeU64Le(value)));
    }
}
