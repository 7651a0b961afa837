package org.jceph.rados.internal.objecter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.OsdReqId;
import org.jceph.encoding.types.SPgId;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.osdmap.OsdMap;
import org.jceph.rados.internal.Backoffs;
import org.jceph.rados.internal.OsdOpMessages;

/**
 * Fake OSDs behind the {@link Transport} seam: a session opens at once (or is refused), every
 * message sent is recorded, and the test answers as an OSD would: a reply, a redirect, a backoff,
 * or a fault that resets the session.
 */
final class FakeOsds implements Transport {
    /** What an MOSDOp carried that the tests look at. */
    record SentOp(int osd, long tid, SPgId pg, long epoch, int flags, ObjectLocator locator, String oid, int attempt) {
    }

    final class Link implements Transport.Link {
        final int osd;
        final Consumer<Message> inbound;
        final List<Message> sent = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Link(int osd, Consumer<Message> inbound) {
            this.osd = osd;
            this.inbound = inbound;
        }

        @Override
        public CompletableFuture<Void> send(Message m) {
            if (closed.isDone()) {
                return CompletableFuture.failedFuture(new ConnectionException("osd." + osd + " session closed"));
            }
            sent.add(m);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> closed() {
            return closed;
        }

        @Override
        public void close() {
            closed.complete(null);
        }

        /** The session fails (a socket reset). */
        void fault() {
            closed.completeExceptionally(new ConnectionException("osd." + osd + " reset the session"));
        }
    }

    /** Every session ever opened, in order. */
    final List<Link> links = new CopyOnWriteArrayList<>();
    /** OSDs that refuse sessions. */
    final Set<Integer> refusing = ConcurrentHashMap.newKeySet();
    /** While set, sessions open only when {@link #finishOpens()} is called (an OSD slow to accept). */
    volatile boolean deferOpens;
    private final List<Runnable> deferred = new CopyOnWriteArrayList<>();

    /** Completes the opens held by {@link #deferOpens}, in order. */
    void finishOpens() {
        List<Runnable> now = List.copyOf(deferred);
        deferred.clear();
        now.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<Transport.Link> open(int osd, OsdMap map, Consumer<Message> inbound) {
        if (refusing.contains(osd)) {
            return CompletableFuture.failedFuture(new ConnectionException("osd." + osd + " refused the session"));
        }
        Link l = new Link(osd, inbound);
        links.add(l);
        if (deferOpens) {
            CompletableFuture<Transport.Link> f = new CompletableFuture<>();
            deferred.add(() -> f.complete(l));
            return f;
        }
        return CompletableFuture.completedFuture(l);
    }

    /** The current (last opened) session to {@code osd}. */
    Link link(int osd) {
        for (int i = links.size() - 1; i >= 0; i--) {
            if (links.get(i).osd == osd) {
                return links.get(i);
            }
        }
        throw new AssertionError("no session to osd." + osd);
    }

    /** Every MOSDOp sent to any OSD, in order of sessions, then of sending. */
    List<SentOp> ops() {
        List<SentOp> out = new ArrayList<>();
        for (Link l : links) {
            for (Message m : l.sent) {
                if (MessageType.OSD_OP.is(m.type())) {
                    out.add(decode(l.osd, m));
                }
            }
        }
        return out;
    }

    /** Every MOSDOp sent with {@code tid}, in order. */
    List<SentOp> ops(long tid) {
        return ops().stream().filter(o -> o.tid() == tid).toList();
    }

    /** The last MOSDOp sent. */
    SentOp last() {
        List<SentOp> all = ops();
        if (all.isEmpty()) {
            throw new AssertionError("no op was sent");
        }
        return all.get(all.size() - 1);
    }

    /** Messages of {@code type} sent to {@code osd}. */
    List<Message> sent(int osd, MessageType type) {
        List<Message> out = new ArrayList<>();
        for (Link l : links) {
            if (l.osd == osd) {
                l.sent.stream().filter(m -> type.is(m.type())).forEach(out::add);
            }
        }
        return out;
    }


    static SentOp decode(int osd, Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MOSDOp");
        SPgId pg = SPgId.decode(d);
        d.readU32Le(); // hash
        long epoch = d.readU32Le();
        int flags = (int) d.readU32Le();
        OsdReqId.decode(d);
        d.skip(24); // trace
        d.readU32Le(); // client_inc
        d.readUtime();
        ObjectLocator loc = ObjectLocator.decode(d);
        String oid = d.readString();
        int n = d.readU16Le();
        d.skip(n * CephStructs.CEPH_OSD_OP.size());
        d.readU64Le(); // snapid
        d.readU64Le(); // snap seq
        long snaps = d.readU32Le();
        for (long i = 0; i < snaps; i++) {
            d.readU64Le();
        }
        int attempt = d.readS32Le();
        return new SentOp(osd, m.tid(), pg, epoch, flags, loc, oid, attempt);
    }

    /** The OSD answers {@code op} with {@code result} (no outputs). */
    void reply(SentOp op, int result) {
        answer(op, result, null);
    }

    /** The OSD redirects {@code op} (a cache tier sending it to its base pool). */
    void redirect(SentOp op, OsdOpMessages.Redirect to) {
        answer(op, -2, to);
    }

    private void answer(SentOp op, int result, OsdOpMessages.Redirect redirect) {
        byte[] front = CephEncoder.toBytes(e -> {
            e.writeString(op.oid());
            op.pg().pgid().encode(e);
            e.writeU64Le(OsdOpMessages.FLAG_ONDISK).writeS32Le(result);
            EVersion.ZERO.encode(e);
            e.writeU32Le(op.epoch()).writeU32Le(0); // epoch, no ops
            e.writeS32Le(op.attempt());
            EVersion.ZERO.encode(e);
            e.writeU64Le(0); // user version
            e.writeBool(redirect != null);
            if (redirect != null) {
                redirect.encode(e);
            }
            e.writeBytes(new byte[24]);
        });
        link(op.osd()).inbound.accept(new Message(MessageType.OSD_OPREPLY.number(), 8, 2, 127, op.tid(), 1, front,
                new byte[0], new byte[0]));
    }

    /** The OSD answers a one-step read with {@code data} (one READ op whose payload_len is its length). */
    void replyData(SentOp op, byte[] data) {
        replyData(op, data, data.length);
    }

    /** As above, the op's payload_len saying {@code claimed} bytes (a malformed reply when more than the data). */
    void replyData(SentOp op, byte[] data, int claimed) {
        byte[] front = CephEncoder.toBytes(e -> {
            e.writeString(op.oid());
            op.pg().pgid().encode(e);
            e.writeU64Le(OsdOpMessages.FLAG_ONDISK | OsdOpMessages.FLAG_READ).writeS32Le(0);
            EVersion.ZERO.encode(e);
            e.writeU32Le(op.epoch()).writeU32Le(1); // epoch, one op
            io.netty.buffer.ByteBuf o = io.netty.buffer.Unpooled.buffer(CephStructs.CEPH_OSD_OP.size());
            o.writeZero(CephStructs.CEPH_OSD_OP.size());
            CephStructs.CEPH_OSD_OP.field("op").setLong(o, 0, 0x1201);
            CephStructs.CEPH_OSD_OP.field("payload_len").setLong(o, 0, claimed);
            byte[] packed = new byte[o.readableBytes()];
            o.readBytes(packed);
            e.writeBytes(packed);
            e.writeS32Le(op.attempt());
            e.writeS32Le(0); // rval
            EVersion.ZERO.encode(e);
            e.writeU64Le(0); // user version
            e.writeBool(false);
            e.writeBytes(new byte[24]);
        });
        // the data as a view of a pooled direct buffer, as the frame reader hands it up in crc mode
        io.netty.buffer.ByteBuf d = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
        d.writeBytes(data);
        try {
            link(op.osd()).inbound.accept(new Message(MessageType.OSD_OPREPLY.number(), 8, 2, 127, op.tid(), 1, front,
                    new byte[0], d));
        } finally {
            d.release();
        }
    }

    /** {@code osd} sends MOSDBackoff. */
    void backoff(int osd, Backoffs.Backoff b) {
        link(osd).inbound.accept(Backoffs.encode(b));
    }

    /** What each session's inbound would get: anything else from {@code osd}. */
    void deliver(int osd, Message m) {
        link(osd).inbound.accept(m);
    }

}
