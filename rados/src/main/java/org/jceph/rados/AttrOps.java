package org.jceph.rados;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.rados.IoCtx.Comparison;
import org.jceph.rados.internal.OsdOp;

/**
 * The metadata half of {@link IoCtx}: extended attributes (get, set, remove, compare), omap
 * keys, values and header, and object-class calls (exec), with the decoders of their replies.
 */
record AttrOps(IoCtx io) {

    CompletableFuture<byte[]> getXattrAsync(String oid, String name) {
        Args.notNull(name, "name");
        return io.run(oid, OsdOp.getXattr(name)).thenApply(r -> r.outputs().get(0));
    }

    CompletableFuture<Void> setXattrAsync(String oid, String name, byte[] value) {
        Args.notNull(name, "name");
        return io.run(oid, OsdOp.setXattr(name, IoCtx.bytes(value, "value"))).thenApply(r -> null);
    }

    CompletableFuture<Void> rmXattrAsync(String oid, String name) {
        Args.notNull(name, "name");
        return io.run(oid, OsdOp.rmXattr(name)).thenApply(r -> null);
    }

    CompletableFuture<SortedMap<String, byte[]>> getXattrsAsync(String oid) {
        return io.run(oid, OsdOp.getXattrs()).thenApply(r -> decodeXattrs(r.outputs().get(0)));
    }

    CompletableFuture<Boolean> cmpXattrAsync(String oid, String name, Comparison op, byte[] value) {
        Args.notNull(name, "name");
        Args.notNull(op, "op");
        return io.run(oid, OsdOp.cmpXattr(name, op.code(), 1, IoCtx.bytes(value, "value"))).handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(Boolean.TRUE);
            }
            Throwable cause = RadosException.unwrap(e);
            return cause instanceof RadosException.CanceledException
                    ? CompletableFuture.completedFuture(Boolean.FALSE) : CompletableFuture.<Boolean>failedFuture(cause);
        }).thenCompose(x -> x);
    }

    CompletableFuture<SortedSet<String>> omapGetKeysAsync(String oid, String startAfter, long max) {
        Args.notNull(startAfter, "startAfter");
        Args.nonNegative(max, "max");
        return io.run(oid, OsdOp.omapGetKeys(startAfter, max)).thenApply(r -> decodeOmapKeys(r.outputs().get(0)));
    }

    static SortedSet<String> decodeOmapKeys(byte[] out) {
        return new TreeSet<>(CephDecoder.of(out, "omap keys").readSet(4, CephDecoder::readString));
    }

    CompletableFuture<SortedMap<String, byte[]>> omapGetValsAsync(String oid, String startAfter, String prefix,
            long max) {
        Args.notNull(startAfter, "startAfter");
        Args.notNull(prefix, "prefix");
        Args.nonNegative(max, "max");
        return io.run(oid, OsdOp.omapGetVals(startAfter, prefix, max)).thenApply(r -> decodeOmapVals(r.outputs().get(0)));
    }

    CompletableFuture<SortedMap<String, byte[]>> omapGetValsByKeysAsync(String oid, Collection<String> keys) {
        Args.notNull(keys, "keys");
        return io.run(oid, OsdOp.omapGetValsByKeys(new TreeSet<>(keys))).thenApply(r -> decodeOmapVals(r.outputs().get(0)));
    }

    CompletableFuture<byte[]> omapGetHeaderAsync(String oid) {
        return io.run(oid, OsdOp.omapGetHeader()).thenApply(r -> r.outputs().get(0));
    }

    CompletableFuture<Void> omapSetValsAsync(String oid, Map<String, byte[]> values) {
        Args.notNull(values, "values");
        return io.run(oid, OsdOp.omapSetVals(new TreeMap<>(values))).thenApply(r -> null);
    }

    CompletableFuture<Void> omapSetHeaderAsync(String oid, byte[] header) {
        return io.run(oid, OsdOp.omapSetHeader(IoCtx.bytes(header, "header"))).thenApply(r -> null);
    }

    CompletableFuture<Void> omapRmKeysAsync(String oid, Collection<String> keys) {
        Args.notNull(keys, "keys");
        return io.run(oid, OsdOp.omapRmKeys(keys)).thenApply(r -> null);
    }

    CompletableFuture<Void> omapClearAsync(String oid) {
        return io.run(oid, OsdOp.omapClear()).thenApply(r -> null);
    }

    CompletableFuture<byte[]> execAsync(String oid, String cls, String method, byte[] input) {
        Args.notNull(cls, "cls");
        Args.notNull(method, "method");
        return io.run(oid, OsdOp.call(cls, method, IoCtx.bytes(input, "input"))).thenApply(r -> r.outputs().get(0));
    }

    static SortedMap<String, byte[]> decodeXattrs(byte[] output) {
        return new TreeMap<>(CephDecoder.of(output, "xattrs").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
    }

    static SortedMap<String, byte[]> decodeOmapVals(byte[] output) {
        return new TreeMap<>(CephDecoder.of(output, "omap values").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
    }
}
