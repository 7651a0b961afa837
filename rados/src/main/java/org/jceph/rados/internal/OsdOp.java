package org.jceph.rados.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;

/**
 * One operation inside MOSDOp: the packed 38-byte {@code ceph_osd_op} (declared once in
 * {@link CephStructs#CEPH_OSD_OP}; {@code unionCase} picks which view of its 28-byte union the
 * {@code unionValues} fill, in declaration order) plus the input bytes it carries in the message's
 * data segment. Op codes from src/include/rados.h: mode RD 0x1000 / WR 0x2000, type DATA 0x0200,
 * ATTR 0x0300, EXEC 0x0400.
 *
 * <p>The input is {@code input}, or, when {@code inputBuffer} is not null, that buffer's remaining
 * bytes (then {@code input} is empty): a write's data in a caller's buffer goes into the message
 * as it is, without a copy ({@link #write(long, java.nio.ByteBuffer)}), and must not change until
 * the op completes.
 */
public record OsdOp(int op, int flags, String unionCase, long[] unionValues, byte[] input,
                    java.nio.ByteBuffer inputBuffer) {
    /** An op whose input is {@code input}. */
    public OsdOp(int op, int flags, String unionCase, long[] unionValues, byte[] input) {
        this(op, flags, unionCase, unionValues, input, null);
    }

    /** How many input bytes the op carries in the message's data segment. */
    public int inputLength() {
        return inputBuffer != null ? inputBuffer.remaining() : input.length;
    }

    public static final int READ = 0x1201;
    public static final int STAT = 0x1202;
    public static final int WRITE = 0x2201;
    public static final int WRITEFULL = 0x2202;
    public static final int TRUNCATE = 0x2203;
    public static final int ZERO = 0x2204;
    public static final int DELETE = 0x2205;
    public static final int APPEND = 0x2206;
    public static final int CREATE = 0x220d;
    /** The old "trivial map" update (TMAPUP: RMW, DATA, 10): still what format 1 uses for rbd_directory. */
    public static final int TMAPUP = 0x320a;
    public static final int ROLLBACK = 0x220e;
    public static final int SPARSE_READ = 0x1205;
    public static final int ASSERT_VER = 0x1208;
    public static final int OMAPGETKEYS = 0x1211;
    public static final int OMAPGETVALS = 0x1212;
    public static final int OMAPGETHEADER = 0x1213;
    public static final int OMAPGETVALSBYKEYS = 0x1214;
    public static final int OMAPSETVALS = 0x2215;
    public static final int OMAPSETHEADER = 0x2216;
    public static final int OMAPCLEAR = 0x2217;
    public static final int OMAPRMKEYS = 0x2218;
    public static final int GETXATTR = 0x1301;
    public static final int GETXATTRS = 0x1302;
    public static final int CMPXATTR = 0x1303;
    public static final int SETXATTR = 0x2301;
    public static final int RMXATTR = 0x2304;
    public static final int CALL = 0x1401;
    public static final int PGNLS = 0x1505;
    public static final int WATCH = 0x220f;
    public static final int NOTIFY = 0x1206;
    public static final int NOTIFY_ACK = 0x1207;
    public static final int LIST_WATCHERS = 0x1209;

    /** CEPH_OSD_WATCH_OP_*: odd ids, so that pre-giant OSDs never read them as UNWATCH. */
    public static final int WATCH_OP_UNWATCH = 0;
    public static final int WATCH_OP_WATCH = 3;
    public static final int WATCH_OP_RECONNECT = 5;
    public static final int WATCH_OP_PING = 7;

    /** CHECKSUM (RD, DATA, 31): checksums of an extent, computed on the OSD. */
    public static final int CHECKSUM = 0x121f;
    /** CMPEXT (RD, DATA, 32): fails the op with -MAX_ERRNO - offset at the first differing byte. */
    public static final int CMPEXT = 0x1220;
    /** WRITESAME (WR, DATA, 38): repeats a pattern over an extent. */
    public static final int WRITESAME = 0x2226;
    /** SETALLOCHINT (WR, DATA, 35): the expected object and write sizes. */
    public static final int SETALLOCHINT = 0x2223;

    /** Checksums of {@code length} bytes at {@code offset}, one per {@code chunkSize} (0: one), seeded with {@code init}. */
    public static OsdOp checksum(int type, long offset, long length, int chunkSize, byte[] init) {
        return new OsdOp(CHECKSUM, 0, "checksum", new long[] {offset, length, Integer.toUnsignedLong(chunkSize), type}, init);
    }

    /** Compares the object's bytes at {@code offset} with {@code data}. */
    public static OsdOp cmpext(long offset, byte[] data) {
        return extent(CMPEXT, offset, data.length, data);
    }

    /** Writes {@code pattern} over and over across {@code length} bytes at {@code offset}. */
    public static OsdOp writesame(long offset, long length, byte[] pattern) {
        return new OsdOp(WRITESAME, 0, "writesame", new long[] {offset, length, pattern.length}, pattern);
    }

    public static OsdOp setAllocHint(long expectedObjectSize, long expectedWriteSize, int flags) {
        return new OsdOp(SETALLOCHINT, 0, "alloc_hint",
                new long[] {expectedObjectSize, expectedWriteSize, Integer.toUnsignedLong(flags)}, NONE);
    }

    /** This op with {@code extra} CEPH_OSD_OP_FLAG_* bits added (FAILOK, FADVISE_*). */
    public OsdOp withFlags(int extra) {
        return new OsdOp(op, flags | extra, unionCase, unionValues, input, inputBuffer);
    }

    /** CEPH_OSD_OP_FLAG_EXCL: create fails with EEXIST when the object exists. */
    public static final int OP_FLAG_EXCL = 1;

    private static final PackedLayout OP = CephStructs.CEPH_OSD_OP;
    // looked up once, not in the layout's map for every op encoded
    private static final PackedField OP_OP = OP.field("op");
    private static final PackedField OP_FLAGS = OP.field("flags");
    static final PackedField OP_PAYLOAD_LEN = OP.field("payload_len");
    private static final byte[] NONE = new byte[0];

    // ---- data ------------------------------------------------------------------------------

    public static OsdOp read(long offset, long length) {
        return extent(READ, offset, length, NONE);
    }

    public static OsdOp writeFull(byte[] data) {
        return extent(WRITEFULL, 0, data.length, data);
    }

    public static OsdOp write(long offset, byte[] data) {
        return extent(WRITE, offset, data.length, data);
    }

    /**
     * A write of {@code data}'s remaining bytes, sent from the buffer itself (a direct buffer's
     * memory is what the socket reads): it must not change until the op completes.
     */
    public static OsdOp write(long offset, java.nio.ByteBuffer data) {
        return new OsdOp(WRITE, 0, "extent", new long[] {offset, data.remaining(), 0, 0}, NONE, data.slice());
    }

    public static OsdOp append(byte[] data) {
        return extent(APPEND, 0, data.length, data);
    }

    public static OsdOp truncate(long size) {
        return extent(TRUNCATE, size, 0, NONE);
    }

    public static OsdOp zero(long offset, long length) {
        return extent(ZERO, offset, length, NONE);
    }

    /** Applies tmap commands ({@code u8 op | string key | [blob value]}...) to the object's data. */
    public static OsdOp tmapUpdate(byte[] commands) {
        return extent(TMAPUP, 0, commands.length, commands);
    }

    public static OsdOp stat() {
        return extent(STAT, 0, 0, NONE);
    }

    public static OsdOp delete() {
        return extent(DELETE, 0, 0, NONE);
    }

    /** Registers (or, with WATCH_OP_UNWATCH, removes) a watch identified by {@code cookie}. */
    public static OsdOp watch(long cookie, int watchOp, int timeoutSeconds) {
        return watch(cookie, watchOp, 0, timeoutSeconds);
    }

    /** As above with the watch's gen (a WATCH_OP_RECONNECT carries which re-registration it is). */
    public static OsdOp watch(long cookie, int watchOp, int gen, int timeoutSeconds) {
        return new OsdOp(WATCH, 0, "watch", new long[] {cookie, 0, watchOp, Integer.toUnsignedLong(gen), timeoutSeconds}, NONE);
    }

    /** Sends {@code payload} to every watcher; {@code cookie} names this notify for its completion event. */
    public static OsdOp notify(long cookie, int timeoutSeconds, byte[] payload) {
        byte[] in = CephEncoder.toBytes(e -> e.writeU32Le(1).writeU32Le(timeoutSeconds).writeBlob(payload));
        return new OsdOp(NOTIFY, 0, "notify", new long[] {cookie}, in);
    }

    /** Acknowledges a notification, with a reply the notifier receives. */
    public static OsdOp notifyAck(long notifyId, long cookie, byte[] reply) {
        byte[] in = CephEncoder.toBytes(e -> e.writeU64Le(notifyId).writeU64Le(cookie).writeBlob(reply));
        return new OsdOp(NOTIFY_ACK, 0, "extent", new long[] {0, in.length, 0, 0}, in);
    }

    /** Lists the object's watchers (obj_list_watch_response_t in the reply). */
    /** LIST_SNAPS (RD, DATA, 10): the object's clones and their overlaps; read at CEPH_SNAPDIR. */
    public static final int LIST_SNAPS = 0x120a;

    public static OsdOp listSnaps() {
        return extent(LIST_SNAPS, 0, 0, NONE);
    }

    public static OsdOp listWatchers() {
        return extent(LIST_WATCHERS, 0, 0, NONE);
    }

    public static OsdOp sparseRead(long offset, long length) {
        return extent(SPARSE_READ, offset, length, NONE);
    }

    /** Fails the whole op with ERANGE (older) or EOVERFLOW (newer) unless the object is at {@code version}. */
    public static OsdOp assertVersion(long version) {
        return new OsdOp(ASSERT_VER, 0, "assert_ver", new long[] {version}, NONE);
    }

    /** Rolls the object back to its state at snapshot {@code snapId}. */
    public static OsdOp rollback(long snapId) {
        return new OsdOp(ROLLBACK, 0, "snap", new long[] {snapId}, NONE);
    }

    public static OsdOp create(boolean exclusive) {
        return new OsdOp(CREATE, exclusive ? OP_FLAG_EXCL : 0, "extent", new long[4], NONE);
    }

    private static OsdOp extent(int op, long offset, long length, byte[] data) {
        return new OsdOp(op, 0, "extent", new long[] {offset, length, 0, 0}, data);
    }

    // ---- xattrs: the name (and value) travel as input, their lengths in the union -------------

    public static OsdOp getXattr(String name) {
        byte[] n = utf8(name);
        return new OsdOp(GETXATTR, 0, "xattr", new long[] {n.length, 0, 0, 0}, n);
    }

    public static OsdOp getXattrs() {
        return new OsdOp(GETXATTRS, 0, "xattr", new long[4], NONE);
    }

    public static OsdOp setXattr(String name, byte[] value) {
        byte[] n = utf8(name);
        return new OsdOp(SETXATTR, 0, "xattr", new long[] {n.length, value.length, 0, 0}, concat(n, value));
    }

    public static OsdOp rmXattr(String name) {
        byte[] n = utf8(name);
        return new OsdOp(RMXATTR, 0, "xattr", new long[] {n.length, 0, 0, 0}, n);
    }

    /** CMPXATTR: {@code op} 1 EQ, 2 NE, 3 GT, 4 GTE, 5 LT, 6 LTE; {@code mode} 1 string, 2 u64. */
    public static OsdOp cmpXattr(String name, int op, int mode, byte[] value) {
        byte[] n = utf8(name);
        return new OsdOp(CMPXATTR, 0, "xattr", new long[] {n.length, value.length, op, mode}, concat(n, value));
    }

    // ---- omap: inputs are Ceph-encoded arguments ---------------------------------------------

    public static OsdOp omapGetKeys(String startAfter, long max) {
        return encoded(OMAPGETKEYS, e -> e.writeString(startAfter).writeU64Le(max));
    }

    public static OsdOp omapGetVals(String startAfter, String filterPrefix, long max) {
        return encoded(OMAPGETVALS, e -> e.writeString(startAfter).writeU64Le(max).writeString(filterPrefix));
    }

    public static OsdOp omapGetValsByKeys(SortedSet<String> keys) {
        return encoded(OMAPGETVALSBYKEYS, e -> e.writeList(keys, CephEncoder::writeString));
    }

    public static OsdOp omapGetHeader() {
        return extent(OMAPGETHEADER, 0, 0, NONE);
    }

    public static OsdOp omapSetVals(SortedMap<String, byte[]> values) {
        return encoded(OMAPSETVALS, e -> e.writeMap(values, CephEncoder::writeString, CephEncoder::writeBlob));
    }

    public static OsdOp omapSetHeader(byte[] header) {
        return extent(OMAPSETHEADER, 0, header.length, header);
    }

    public static OsdOp omapClear() {
        return extent(OMAPCLEAR, 0, 0, NONE);
    }

    public static OsdOp omapRmKeys(Collection<String> keys) {
        return encoded(OMAPRMKEYS, e -> e.writeList(List.copyOf(new java.util.TreeSet<>(keys)), CephEncoder::writeString));
    }

    // ---- class methods -----------------------------------------------------------------------

    /** CALL: class name, method name and input travel as input; their lengths in the union. */
    public static OsdOp call(String cls, String method, byte[] in) {
        byte[] c = utf8(cls);
        byte[] m = utf8(method);
        if (c.length > 255 || m.length > 255) {
            throw new IllegalArgumentException("class and method names are at most 255 bytes");
        }
        return new OsdOp(CALL, 0, "cls", new long[] {c.length, m.length, 0, in.length}, concat(concat(c, m), in));
    }

    private static OsdOp encoded(int op, java.util.function.Consumer<CephEncoder> args) {
        byte[] in = CephEncoder.toBytes(args);
        return new OsdOp(op, 0, "extent", new long[] {0, in.length, 0, 0}, in);
    }

    /**
     * PGNLS: up to {@code count} objects of the pg after {@code cursor} (an encoded hobject_t; the
     * empty hobject_t starts at the beginning).
     */
    public static OsdOp pgnls(long count, long startEpoch, byte[] cursor) {
        return new OsdOp(PGNLS, 0, "pgls", new long[] {count, startEpoch}, cursor);
    }

    public boolean pgOp() {
        return op == PGNLS;
    }

    public boolean writes() {
        return (op & 0x2000) != 0;
    }

    public boolean executes() {
        return op == CALL;
    }

    /** Appends the packed op, filling the chosen union case's fields in order. */
    void encode(ByteBuf out) {
        int base = out.writerIndex();
        out.ensureWritable(OP.size());
        out.setZero(base, OP.size());
        OP_OP.setLong(out, base, op);
        OP_FLAGS.setLong(out, base, flags);
        List<PackedField> fields = UNION_FIELDS.computeIfAbsent(unionCase, OsdOp::unionFields);
        for (int i = 0; i < fields.size() && i < unionValues.length; i++) {
            fields.get(i).setLong(out, base, unionValues[i]);
        }
        OP_PAYLOAD_LEN.setLong(out, base, inputLength());
        out.writerIndex(base + OP.size());
        org.jceph.encoding.WireTrace.note(out, base, base + OP.size(), "ceph_osd_op");
    }

    /** The value fields of each union case of ceph_osd_op, in order (padding left out): looked up once per case. */
    private static final java.util.concurrent.ConcurrentHashMap<String, List<PackedField>> UNION_FIELDS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static List<PackedField> unionFields(String unionCase) {
        List<PackedField> out = new java.util.ArrayList<>();
        for (PackedField leaf : OP.leaves(Map.of("u", unionCase))) {
            if (leaf.name().startsWith("u.") && leaf.kind() != PackedField.Kind.PAD) {
                out.add(leaf);
            }
        }
        return List.copyOf(out);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
