package org.jceph.rados.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.UTime;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.OsdReqId;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.encoding.types.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;

/**
 * MOSDOp (type 42, header version 8, compat 3) and MOSDOpReply (type 43) as librados sends and
 * receives them (src/messages/MOSDOp.h, MOSDOpReply.h).
 *
 * <pre>
 * MOSDOp v8 front: spg_t pgid | u32 hash | u32 epoch | u32 flags | osd_reqid_t | 24-byte blkin trace
 *   | u32 client_inc | utime mtime | object_locator_t | string oid | u16 n | n x ceph_osd_op
 *   | u64 snapid | u64 snap_seq | vector&lt;u64&gt; snaps | s32 retry_attempt | u64 features
 * data: every op's input, in op order (each op's payload_len says how much is its own)
 *
 * MOSDOpReply v8 front: string oid | pg_t | u64 flags | s32 result | eversion bad_replay
 *   | u32 epoch | u32 n | n x ceph_osd_op | s32 retry_attempt | n x s32 rval | eversion replay
 *   | u64 user_version | u8 do_redirect [request_redirect_t] | blkin trace
 * data: every op's output, in op order (split by the reply ops' payload_len)
 * </pre>
 */
public final class OsdOpMessages {
    /** MOSDOp HEAD_VERSION / COMPAT_VERSION (src/messages/MOSDOp.h): the encoding {@link #encode} writes. */
    public static final int HEAD_VERSION = 8;
    public static final int COMPAT_VERSION = 3;
    /**
     * The header versions of the 2010 encoding {@link #encodeLegacyV1} writes: version 1 (a
     * version below 2 selects the packed ceph_osd_request_head in MOSDOp::decode_payload);
     * compat 1, as jceph has always sent it.
     */
    public static final int LEGACY_HEAD_VERSION = 1;
    public static final int LEGACY_COMPAT_VERSION = 1;

    public static final int FLAG_ONDISK = 0x4;
    public static final int FLAG_RETRY = 0x8;
    public static final int FLAG_READ = 0x10;
    public static final int FLAG_WRITE = 0x20;
    public static final int FLAG_EXEC = 0x800;
    public static final int FLAG_PGOP = 0x400;
    public static final int FLAG_IGNORE_CACHE = 0x8000;
    public static final int FLAG_IGNORE_OVERLAY = 0x20000;
    public static final int FLAG_REDIRECTED = 0x200000;
    /**
     * CEPH_OSD_FLAG_KNOWN_REDIR: "this client follows redirect replies". librados' Objecter and the
     * kernel set it on every op they send, and so do we (we follow redirects).
     */
    public static final int FLAG_KNOWN_REDIR = 0x400000;

    public static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;
    private static final PackedLayout OP = CephStructs.CEPH_OSD_OP;

    private OsdOpMessages() {
    }

    /** Everything one MOSDOp says. */
    /**
     * One MOSDOp. {@code shard} is the spg_t shard: for an erasure-coded pool the position of the
     * acting primary in the acting set (Objecter::_calc_target), else NO_SHARD; an OSD files an
     * op for "5.4" under a PG that does not exist when the pool's PGs are "5.4s0", "5.4s1", ...
     * and the op waits forever.
     */
    public record Request(long tid, PgId pg, long hash, long epoch, String oid, ObjectLocator locator,
            List<OsdOp> ops, UTime mtime, long features, long snapId, SnapContext snapContext, int retryAttempt,
            int extraFlags, int shard) {
        public Request(long tid, PgId pg, long hash, long epoch, String oid, ObjectLocator locator, List<OsdOp> ops,
                UTime mtime, long features, long snapId, SnapContext snapContext, int retryAttempt) {
            this(tid, pg, hash, epoch, oid, locator, ops, mtime, features, snapId, snapContext, retryAttempt, 0,
                    SPgId.NO_SHARD);
        }

        public Request(long tid, PgId pg, long hash, long epoch, String oid, ObjectLocator locator, List<OsdOp> ops,
                UTime mtime, long features, long snapId, SnapContext snapContext, int retryAttempt, int extraFlags) {
            this(tid, pg, hash, epoch, oid, locator, ops, mtime, features, snapId, snapContext, retryAttempt,
                    extraFlags, SPgId.NO_SHARD);
        }

        /**
         * The flags librados sends: the op's kind, plus ONDISK and KNOWN_REDIR on every op (Pacific's
         * Objecter sets both whatever the op; ONDISK is kept for pre-Luminous OSDs), plus RETRY on a
         * resend. Pinned to captured librados bytes by OsdOpGoldenBytesTest.
         */
        int flags() {
            return legacyFlags() | FLAG_ONDISK | FLAG_KNOWN_REDIR;
        }

        /** The flags of the 2010 encoding: no KNOWN_REDIR (2013), ONDISK only on writes. */
        int legacyFlags() {
            return baseFlags() | (retryAttempt > 0 ? FLAG_RETRY : 0) | extraFlags;
        }

        /** Whether the op changes the object: then it carries the client's clock as mtime, else zero. */
        boolean mutates() {
            return (baseFlags() & FLAG_WRITE) != 0;
        }

        private int baseFlags() {
            boolean writes = false;
            boolean exec = false;
            boolean reads = false;
            for (OsdOp o : ops) { // a plain loop: this runs for every message sent
                if (o.pgOp()) {
                    return FLAG_READ | FLAG_PGOP | FLAG_IGNORE_OVERLAY;
                }
                writes |= o.writes();
                exec |= o.executes();
                reads |= (o.op() & 0x1000) != 0;
            }
            int f = writes || exec ? FLAG_WRITE | FLAG_ONDISK : FLAG_READ;
            if (reads) {
                f |= FLAG_READ; // a write op with read steps (asserts, cmpxattr) returns their results too
            }
            return exec ? f | FLAG_EXEC | FLAG_READ : f;
        }
    }

    public static Message encode(Request r) {
        ByteBuf f = CephEncoder.heapBuffer(256);
        CephEncoder e = new CephEncoder(f);
        new SPgId(r.pg(), r.shard()).encode(e);
        e.writeU32Le(r.hash()).writeU32Le(r.epoch()).writeU32Le(r.flags());
        NO_REQID.encode(e);
        e.writeBytes(NO_TRACE); // blkin trace: tracing off
        e.writeU32Le(0); // client_inc
        e.writeUtime(r.mutates() ? r.mtime() : UTime.ZERO); // librados leaves a read's mtime zero
        r.locator().encode(e);
        e.writeString(r.oid());
        e.writeU16Le(r.ops().size());
        for (OsdOp op : r.ops()) {
            op.encode(f);
        }
        e.writeU64Le(r.snapId());
        r.snapContext().encode(e); // writes: the snaps that exist, newest first
        e.writeS32Le(r.retryAttempt());
        e.writeU64Le(r.features());
        byte[] front = new byte[f.readableBytes()];
        f.readBytes(front);
        return new Message(MessageType.OSD_OP.number(), HEAD_VERSION, COMPAT_VERSION, Message.PRIO_DEFAULT, r.tid(), 0,
                front, NO_BYTES,
                inputs(r.ops()));
    }

    /** The reqid a client's MOSDOp carries: all zeros (the OSD takes the client's name from the session). */
    private static final OsdReqId NO_REQID = new OsdReqId(new EntityName(0, 0), 0, 0);
    /** The blkin trace block with tracing off: 24 zero bytes (never written to). */
    private static final byte[] NO_TRACE = new byte[24];

    /**
     * The same request in the 2010 encoding (header version 1): the packed
     * {@code ceph_osd_request_head} of {@link CephStructs#CEPH_OSD_REQUEST_HEAD}, then the packed
     * ops, the object name and the snap ids, all in the front. Its {@code ceph_pg} carries only 16
     * bits of placement seed, so the OSD learns a truncated object hash.
     */
    public static Message encodeLegacyV1(Request r) {
        PackedLayout head = CephStructs.CEPH_OSD_REQUEST_HEAD;
        byte[] name = r.oid().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuf f = CephEncoder.heapBuffer(256);
        int base = 0;
        f.writeZero(head.size());
        head.field("client_inc").setLong(f, base, 0);
        head.at("layout.ol_pgid.preferred").setLong(f, base, 0xFFFF);
        head.at("layout.ol_pgid.ps").setLong(f, base, r.hash() & 0xFFFF);
        head.at("layout.ol_pgid.pool").setLong(f, base, r.pg().pool());
        head.field("osdmap_epoch").setLong(f, base, r.epoch());
        head.field("flags").setLong(f, base, r.legacyFlags());
        head.at("mtime.tv_sec").setLong(f, base, r.mtime().seconds());
        head.at("mtime.tv_nsec").setLong(f, base, r.mtime().nanos());
        head.field("object_len").setLong(f, base, name.length);
        head.field("snapid").setLong(f, base, r.snapId());
        head.field("snap_seq").setLong(f, base, r.snapContext().seq());
        head.field("num_snaps").setLong(f, base, r.snapContext().snaps().size());
        head.field("num_ops").setLong(f, base, r.ops().size());
        for (OsdOp op : r.ops()) {
            op.encode(f);
        }
        f.writeBytes(name);
        for (long snap : r.snapContext().snaps()) {
            f.writeLongLE(snap);
        }
        byte[] front = new byte[f.readableBytes()];
        f.readBytes(front);
        return new Message(MessageType.OSD_OP.number(), LEGACY_HEAD_VERSION, LEGACY_COMPAT_VERSION, Message.PRIO_DEFAULT,
                r.tid(), 0, front, new byte[0], inputs(r.ops()));
    }

    /**
     * The data part: every op's input in op order, as the components of one buffer (the inputs'
     * arrays themselves, not a copy).
     */
    static ByteBuf inputs(List<OsdOp> ops) {
        for (OsdOp o : ops) {
            if (o.inputBuffer() != null) {
                ByteBuf[] bufs = new ByteBuf[ops.size()];
                for (int i = 0; i < bufs.length; i++) {
                    OsdOp op = ops.get(i);
                    // a caller's buffer goes in as it is (a view, never freed here), direct or not
                    bufs[i] = op.inputBuffer() != null ? Unpooled.wrappedBuffer(op.inputBuffer().duplicate())
                            : Unpooled.wrappedBuffer(op.input());
                }
                return Unpooled.wrappedBuffer(bufs);
            }
        }
        byte[][] parts = new byte[ops.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = ops.get(i).input();
        }
        return Unpooled.wrappedBuffer(parts);
    }

    /** The parts of MOSDOpReply a client acts on; {@code redirect} is null unless the OSD sent one. */
    public record Reply(long tid, String oid, PgId pg, long flags, int result, long epoch, List<Integer> rvals,
            List<byte[]> outputs, long userVersion, Redirect redirect, int retryAttempt) {
    }

    /**
     * {@code request_redirect_t} (envelope v1): where to send the op instead. Its locator replaces
     * ours whole (the OSD builds it from the op's own locator with the pool changed, see
     * PrimaryLogPG::do_cache_redirect); a non-empty object name replaces the name. The trailing
     * {@code osd_instructions} blob is legacy and always empty.
     */
    public record Redirect(ObjectLocator locator, String object) {
        public static Redirect decode(CephDecoder d) {
            CephDecoder.Envelope env = d.beginStruct("request_redirect_t", 1);
            ObjectLocator loc = ObjectLocator.decode(d);
            String object = d.readString();
            d.readBlob(); // osd_instructions
            d.endStruct(env);
            return new Redirect(loc, object);
        }

        public void encode(CephEncoder e) {
            int mark = e.beginStruct(1, 1);
            locator.encode(e);
            e.writeString(object);
            e.writeU32Le(0);
            e.finishStruct(mark);
        }

        /** The locator to use from now on. */
        public ObjectLocator applyTo(ObjectLocator ours) {
            return new ObjectLocator(locator.pool(), locator.key(), locator.nspace());
        }
    }

    /**
     * The array behind {@code b} when {@code b} is exactly all of an unpooled heap array (what the
     * frame readers wrap their own decrypted or decompressed arrays in), else null. Pooled buffers
     * never qualify: their arrays go back to the pool and are reused.
     */
    static byte[] wholeArray(ByteBuf b) {
        if (b.hasArray() && b.alloc() == UnpooledByteBufAllocator.DEFAULT && !b.isReadOnly()
                && b.arrayOffset() + b.readerIndex() == 0 && b.readableBytes() == b.array().length) {
            return b.array();
        }
        return null;
    }

    public static Reply decode(Message m) {
        return decodeHead(m).finish(null);
    }

    /**
     * A reply whose front is decoded and whose data is checked to hold every op's output, but not
     * yet copied out: {@link #finish} does that, while the message's buffers are still valid (on
     * the thread that received it). The Objecter decodes the head first, decides whether it takes
     * the reply, and only then copies its data, into arrays or a caller's buffer.
     */
    public record Head(long tid, String oid, PgId pg, long flags, int result, long epoch, List<Integer> rvals,
            int[] outLens, long userVersion, Redirect redirect, int retryAttempt, ByteBuf data) {
        /**
         * The reply, each op's output copied out of the message once: into {@code sink}'s buffer
         * for the op it names (that output is then an empty array; the count is the sink's), into
         * an array of its own for every other op.
         *
         * @param sink where one op's output goes, or null
         * @return the reply
         */
        public Reply finish(ReadInto sink) {
            int n = outLens.length;
            List<byte[]> outputs = new ArrayList<>(n);
            // data is a view of the receive buffers (crc mode): each output is copied out once,
            // here. In secure mode (and for decompressed frames) it is an array of its own that the
            // frame reader filled: an output that is all of it is handed over as it is.
            byte[] whole = n == 1 && sink == null ? wholeArray(data) : null;
            if (whole != null && whole.length == outLens[0]) {
                outputs.add(whole);
            } else {
                int at = data.readerIndex();
                for (int i = 0; i < n; i++) {
                    if (sink != null && sink.opIndex() == i) {
                        sink.deliver(data, at, outLens[i]);
                        outputs.add(NO_BYTES);
                    } else {
                        byte[] out = new byte[outLens[i]];
                        data.getBytes(at, out);
                        outputs.add(out);
                    }
                    at += outLens[i];
                }
            }
            return new Reply(tid, oid, pg, flags, result, epoch, rvals, outputs, userVersion, redirect, retryAttempt);
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    /**
     * The front of a reply, and a check that its data holds the outputs the ops say it does.
     *
     * @param m the MOSDOpReply
     * @return the head; its data is the message's own buffer, valid while the message is
     * @throws org.jceph.encoding.DecodeException when the front is malformed or the data short
     */
    public static Head decodeHead(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MOSDOpReply");
        String oid = d.readString();
        PgId pg = PgId.decode(d);
        long flags = d.readU64Le();
        int result = d.readS32Le();
        EVersion.decode(d); // bad_replay_version
        long epoch = d.readU32Le();
        int n = d.readCountLe("ops", OP.size());
        int[] outLens = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            ByteBuf b = d.readSlice(OP.size());
            outLens[i] = (int) OsdOp.OP_PAYLOAD_LEN.getLong(b, b.readerIndex());
            total += Integer.toUnsignedLong(outLens[i]);
        }
        int retryAttempt = d.readS32Le();
        List<Integer> rvals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rvals.add(d.readS32Le());
        }
        EVersion.decode(d); // replay_version
        long userVersion = d.readU64Le();
        Redirect redirect = d.readBool() ? Redirect.decode(d) : null;
        ByteBuf all = m.data();
        if (total > all.readableBytes()) {
            CephDecoder data = new CephDecoder(all.duplicate(), "MOSDOpReply data");
            for (int len : outLens) {
                data.readSlice(len); // throws for the first output the data does not hold
            }
        }
        return new Head(m.tid(), oid, pg, flags, result, epoch, rvals, outLens, userVersion, redirect, retryAttempt, all);
    }
}
