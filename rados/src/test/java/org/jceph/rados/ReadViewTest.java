package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.ReadInto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: {@link ReadView}, a read's bytes handed over in the buffers they were received in
 * (librados' bufferlist claim): its lifetime (close once, use after close, copies racing close),
 * and {@link ObjectDataOps#handOver}, which must release the received buffers on every path where
 * the view does not reach the caller.
 */
class ReadViewTest {
    /** Received buffers of the test, each checked to be back at the test's own single reference. */
    private final List<ByteBuf> received = new ArrayList<>();

    @AfterEach
    void nothingLeaks() {
        for (ByteBuf b : received) {
            assertEquals(1, b.refCnt(), "only the test's own reference is left: every view released its share");
            b.release();
        }
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    /** A view counting its releases. */
    private static ReadView counted(AtomicInteger releases, byte[]... pieces) {
        ByteBuffer[] bufs = Arrays.stream(pieces).map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
        return new ReadView(bufs, releases::incrementAndGet);
    }

    @Test
    void closeReleasesExactlyOnceAndUseAfterCloseIsAClearError() {
        AtomicInteger releases = new AtomicInteger();
        ReadView v = counted(releases, pattern(10, 1), pattern(5, 2));
        assertEquals(15, v.length());
        assertFalse(v.isClosed());
        v.close();
        v.close();
        assertEquals(1, releases.get(), "released once, however often closed");
        assertTrue(v.isClosed());
        assertThrows(IllegalStateException.class, v::length);
        assertThrows(IllegalStateException.class, v::nioBuffers);
        assertThrows(IllegalStateException.class, v::toByteArray);
        assertThrows(IllegalStateException.class, () -> v.copyTo(new byte[15], 0));
        assertThrows(IllegalStateException.class, () -> v.copyTo(ByteBuffer.allocate(15)));
        assertThrows(IllegalStateException.class, () -> v.copyTo(ByteBuffer.allocate(1)));
        assertTrue(v.toString().contains("closed"));
    }

    @Test
    void bytesCopiesAndReadOnlyDuplicates() {
        byte[] a = pattern(10, 1);
        byte[] b = pattern(7, 9);
        byte[] all = new byte[17];
        System.arraycopy(a, 0, all, 0, 10);
        System.arraycopy(b, 0, all, 10, 7);
        try (ReadView v = ReadView.of(ByteBuffer.wrap(a), ByteBuffer.allocateDirect(7).put(b).flip())) {
            assertArrayEquals(all, v.toByteArray());
            byte[] into = new byte[20];
            assertEquals(17, v.copyTo(into, 3));
            assertArrayEquals(all, Arrays.copyOfRange(into, 3, 20));
            assertThrows(IndexOutOfBoundsException.class, () -> v.copyTo(new byte[20], 4));
            ByteBuffer direct = ByteBuffer.allocateDirect(17);
            assertEquals(17, v.copyTo(direct));
            assertEquals(17, direct.position());
            assertThrows(java.nio.BufferOverflowException.class, () -> v.copyTo(ByteBuffer.allocate(16)));
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> v.copyTo(ByteBuffer.allocate(17).asReadOnlyBuffer()));
            ByteBuffer[] bufs = v.nioBuffers();
            assertEquals(2, bufs.length);
            assertTrue(bufs[0].isReadOnly() && bufs[1].isReadOnly());
            bufs[0].position(10); // moving a duplicate changes nothing in the view
            assertArrayEquals(all, v.toByteArray());
            assertEquals(10, v.nioBuffers()[0].remaining());
        }
    }

    @Test
    void zerosAndEmpty() {
        try (ReadView z = ReadView.zeros(3 << 20 | 5); ReadView e = ReadView.of()) {
            assertEquals((3 << 20) + 5, z.length());
            assertEquals(4, z.nioBuffers().length, "pieces of one shared 1 MiB buffer");
            assertArrayEquals(new byte[(3 << 20) + 5], z.toByteArray());
            assertEquals(0, e.length());
            assertEquals(0, e.nioBuffers().length);
        }
        assertThrows(IllegalArgumentException.class, () -> ReadView.zeros(-1));
    }

    @Test
    void concatOwnsItsPartsAndRefusesAClosedOne() {
        AtomicInteger r1 = new AtomicInteger();
        AtomicInteger r2 = new AtomicInteger();
        ReadView p1 = counted(r1, pattern(4, 1));
        ReadView p2 = counted(r2, pattern(3, 2));
        ReadView all = ReadView.concat(List.of(p1, ReadView.zeros(2), p2));
        assertTrue(p1.isClosed() && p2.isClosed(), "the parts are handed over");
        assertEquals(0, r1.get() + r2.get(), "handing over releases nothing");
        assertEquals(9, all.length());
        byte[] want = new byte[9];
        System.arraycopy(pattern(4, 1), 0, want, 0, 4);
        System.arraycopy(pattern(3, 2), 0, want, 6, 3);
        assertArrayEquals(want, all.toByteArray());
        all.close();
        assertEquals(1, r1.get());
        assertEquals(1, r2.get());

        AtomicInteger r3 = new AtomicInteger();
        AtomicInteger r4 = new AtomicInteger();
        ReadView closed = counted(new AtomicInteger(), pattern(2, 1));
        closed.close();
        ReadView before = counted(r3, pattern(2, 3));
        ReadView after = counted(r4, pattern(2, 4));
        assertThrows(IllegalStateException.class, () -> ReadView.concat(List.of(before, closed, after)));
        assertEquals(1, r3.get(), "a part handed over before the closed one is released");
        assertEquals(1, r4.get(), "a part after it is closed");
    }

    @Test
    void aCopyRunningWhenAnotherThreadClosesFinishesBeforeTheRelease() throws Exception {
        // the release "recycles" the memory (overwrites it): a copy that completed without an
        // IllegalStateException must hold the view's bytes, however close() raced it
        byte[] backing = pattern(1 << 20, 3);
        byte[] want = backing.clone();
        AtomicInteger releases = new AtomicInteger();
        for (int round = 0; round < 20; round++) {
            System.arraycopy(want, 0, backing, 0, want.length);
            ReadView v = new ReadView(new ByteBuffer[] {ByteBuffer.wrap(backing)}, () -> {
                releases.incrementAndGet();
                Arrays.fill(backing, (byte) 0x55);
            });
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Throwable> bad = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                byte[] into = new byte[1 << 20];
                started.countDown();
                try {
                    while (true) {
                        v.copyTo(into, 0);
                        if (!Arrays.equals(into, want)) {
                            bad.set(new AssertionError("a copy saw released memory"));
                            return;
                        }
                    }
                } catch (IllegalStateException closed) {
                    // the copy that starts after close() fails clearly
                } catch (Throwable e) {
                    bad.set(e);
                }
            });
            t.start();
            started.await();
            Thread.sleep(1);
            v.close();
            t.join(10_000);
            assertFalse(t.isAlive());
            assertNull(bad.get());
            assertEquals(round + 1, releases.get(), "released once per view");
        }
    }

    // ---- handOver: the received buffers are released on every path ---------------------------

    /** A reply front of one read op whose output is {@code len} bytes. */
    private static byte[] front(int len, int result) {
        PackedLayout op = CephStructs.CEPH_OSD_OP;
        ByteBuf f = CephEncoder.heapBuffer(256);
        CephEncoder e = new CephEncoder(f);
        e.writeString("obj");
        new PgId(2, 0x1f).encode(e);
        e.writeU64Le(OsdOpMessages.FLAG_ONDISK | OsdOpMessages.FLAG_READ).writeS32Le(result);
        EVersion.ZERO.encode(e);
        e.writeU32Le(20).writeU32Le(1);
        int at = f.writerIndex();
        f.writeZero(op.size());
        op.field("op").setLong(f, at, 0x1201);
        op.field("payload_len").setLong(f, at, len);
        e.writeS32Le(0).writeS32Le(result);
        EVersion.ZERO.encode(e);
        e.writeU64Le(7);
        e.writeBool(false);
        e.writeBytes(new byte[24]);
        byte[] out = new byte[f.readableBytes()];
        f.readBytes(out);
        return out;
    }

    /**
     * Delivers {@code data} into {@code sink} as the Objecter does: the message's data is a view
     * of two pooled direct receive buffers (crc mode), valid only during the call (the messenger
     * releases its reference when the listener returns, as here).
     */
    private void deliver(ReadInto sink, byte[] data) {
        int first = data.length / 3;
        ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(first).writeBytes(data, 0, first);
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(data.length - first)
                .writeBytes(data, first, data.length - first);
        received.add(a.retain());
        received.add(b.retain());
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponents(true, a, b);
        try {
            OsdOpMessages.decodeHead(new Message(MessageType.OSD_OPREPLY.number(), 8, 2, 127, 1, 1,
                    front(data.length, 0), new byte[0], c)).finish(sink);
        } finally {
            c.release();
        }
    }

    @Test
    void aDeliveredReadIsHandedOverAndItsBuffersGoBackOnClose() throws Exception {
        byte[] data = pattern(3000, 5);
        ReadInto sink = ReadInto.retaining(0, 3000);
        CompletableFuture<Object> op = new CompletableFuture<>();
        CompletableFuture<ReadView> f = ObjectDataOps.handOver(op, sink);
        deliver(sink, data);
        assertTrue(received.stream().allMatch(x -> x.refCnt() == 2), "the view holds the received buffers");
        op.complete("reply");
        ReadView v = f.get(0, TimeUnit.SECONDS);
        assertEquals(3000, v.length());
        assertTrue(v.nioBuffers().length >= 2, "the pieces as received, not one copy");
        assertTrue(v.nioBuffers()[0].isDirect());
        assertArrayEquals(data, v.toByteArray());
        v.close();
    }

    @Test
    void aShortOutputIsCutToTheRequestedLength() throws Exception {
        ReadInto sink = ReadInto.retaining(0, 100);
        CompletableFuture<Object> op = new CompletableFuture<>();
        CompletableFuture<ReadView> f = ObjectDataOps.handOver(op, sink);
        deliver(sink, pattern(300, 1));
        op.complete("reply");
        try (ReadView v = f.get(0, TimeUnit.SECONDS)) {
            assertArrayEquals(Arrays.copyOf(pattern(300, 1), 100), v.toByteArray());
        }
    }

    @Test
    void aFailureAfterDeliveryReleasesTheBuffers() {
        ReadInto sink = ReadInto.retaining(0, 1000);
        CompletableFuture<Object> op = new CompletableFuture<>();
        CompletableFuture<ReadView> f = ObjectDataOps.handOver(op, sink);
        deliver(sink, pattern(1000, 2));
        op.completeExceptionally(new RadosException.TimeoutException("late"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
        assertInstanceOf(RadosException.TimeoutException.class, e.getCause());
        assertNull(sink.takeParts());
        // @AfterEach: the buffers are back at one reference
    }

    @Test
    void aViewArrivingAfterTheCallerCancelledIsClosed() {
        ReadInto sink = ReadInto.retaining(0, 1000);
        CompletableFuture<Object> op = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterrupt) {
                return false; // the op already has its reply (claimed): the cancel cannot stop it
            }
        };
        CompletableFuture<ReadView> f = ObjectDataOps.handOver(op, sink);
        deliver(sink, pattern(1000, 3));
        assertTrue(f.cancel(false));
        op.complete("reply"); // the view is built, finds the future cancelled, and is closed
        assertTrue(f.isCancelled());
    }

    @Test
    void cancellingTheFutureCancelsTheOpAndALateDeliveryIsReleased() {
        ReadInto sink = ReadInto.retaining(0, 1000);
        CompletableFuture<Object> op = new CompletableFuture<>();
        CompletableFuture<ReadView> f = ObjectDataOps.handOver(op, sink);
        assertTrue(f.cancel(false));
        assertTrue(op.isCancelled(), "the op is cancelled with the view's future");
        deliver(sink, pattern(500, 4)); // a delivery racing past the cancel is given back at once
        assertNull(sink.takeParts());
    }

    @Test
    void aViewArrivingAfterTheCallerCompletedTheFutureIsClosed() {
        ReadInto sink = ReadInto.retaining(0, 1000);
        CompletableFuture<Object> op = new CompletableFuture<>();
        CompletableFuture<ReadView> f = ObjectDataOps.handOver(op, sink);
        f.orTimeout(1, TimeUnit.NANOSECONDS); // the caller's own timeout wins
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!f.isDone() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        deliver(sink, pattern(500, 5));
        op.complete("reply");
        assertTrue(f.isCompletedExceptionally());
    }
}
