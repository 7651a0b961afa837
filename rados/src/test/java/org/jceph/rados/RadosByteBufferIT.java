package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ByteBuffer writes and reads into the caller's buffers (heap, direct, sliced), cross-checked with rados get/put. */
@RealCluster
@CrossRelease
class RadosByteBufferIT {
    @TempDir
    Path tmp;

    @Test
    void heapDirectAndSlicedBuffersBothWays(CephCluster c) throws Exception {
        String pool = c.testPool();
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(pool);
            ByteBuffer heap = ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII));
            io.writeFull("bb", heap);
            assertEquals(heap.limit(), heap.position(), "the buffer is consumed");

            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            direct.put("ABC".getBytes(StandardCharsets.US_ASCII)).flip();
            io.write("bb", 2, direct);
            assertEquals(0, direct.remaining());

            ByteBuffer sliced = ByteBuffer.wrap("xxTAILxx".getBytes(StandardCharsets.US_ASCII), 2, 4).slice();
            io.appendAsync("bb", sliced).get(30, TimeUnit.SECONDS);

            Path got = tmp.resolve("got");
            c.radosOrThrow("-p", pool, "get", "bb", got.toString());
            assertEquals("01ABC56789TAIL", Files.readString(got, StandardCharsets.US_ASCII));

            Path put = tmp.resolve("put");
            Files.write(put, "from librados".getBytes(StandardCharsets.US_ASCII));
            c.radosOrThrow("-p", pool, "put", "theirs", put.toString());

            ByteBuffer into = ByteBuffer.allocateDirect(64);
            into.position(3);
            assertEquals(8, io.read("theirs", 5, into));
            assertEquals(11, into.position(), "the position moves past the bytes read");
            into.flip().position(3);
            byte[] seen = new byte[8];
            into.get(seen);
            assertEquals("librados", new String(seen, StandardCharsets.US_ASCII));

            ByteBuffer small = ByteBuffer.allocate(4);
            assertEquals(4, io.readAsync("theirs", 0, small).get(30, TimeUnit.SECONDS), "at most the remaining bytes");
            assertArrayEquals("from".getBytes(StandardCharsets.US_ASCII), small.array());
            assertEquals(4, small.limit(), "the limit is the caller's");

            byte[] buf = new byte[20];
            java.util.Arrays.fill(buf, (byte) '#');
            assertEquals(13, io.read("theirs", 0, buf, 5, 15));
            assertEquals("#####from librados##", new String(buf, StandardCharsets.US_ASCII),
                    "a short read fills its bytes only; the rest of the buffer is untouched");

            ByteBuffer missing = ByteBuffer.allocate(8);
            missing.position(2);
            assertThrows(RadosException.ObjectNotFoundException.class, () -> io.read("no-such-object", 0, missing));
            assertEquals(2, missing.position(), "a failed read leaves the position");
            assertArrayEquals(new byte[8], missing.array());
            assertEquals(0, io.read("theirs", 100, ByteBuffer.allocate(8)), "past the end: nothing");

            assertThrows(java.nio.ReadOnlyBufferException.class, () -> io.read("theirs", 0, ByteBuffer.allocate(4).asReadOnlyBuffer()));
            assertThrows(IndexOutOfBoundsException.class, () -> io.read("theirs", 0, buf, 18, 5));
        }
    }

    /** Everything a view holds, gathered through its ByteBuffers (as a gathering write would send it). */
    private static byte[] gathered(ReadView v) {
        byte[] out = new byte[v.length()];
        int at = 0;
        for (ByteBuffer b : v.nioBuffers()) {
            int n = b.remaining();
            b.get(out, at, n);
            at += n;
        }
        assertEquals(out.length, at);
        return out;
    }

    /**
     * Issue 16: reads handed over in the received buffers (IoCtx.readView, librados' read into a
     * bufferlist) give back what {@code rados put} wrote and what {@code rados get} reads: a
     * multi-MiB object arriving in several socket reads, a range, a read past the end (short), an
     * empty one, a whole-object read (length 0), ENOENT, a cancelled read; and no receive buffer
     * is leaked (paranoid leak detection over everything the test read).
     */
    @Test
    void readViewsHandOverWhatRadosPutWrote(CephCluster c) throws Exception {
        String pool = c.testPool();
        byte[] big = new byte[(5 << 20) + 123];
        new java.util.Random(16).nextBytes(big);
        Path put = tmp.resolve("big");
        Files.write(put, big);
        c.radosOrThrow("-p", pool, "put", "view-big", put.toString());
        org.jceph.rados.testlog.LogCapture.clear();
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(pool);
            try (ReadView v = io.readView("view-big", 0, big.length)) {
                assertEquals(big.length, v.length());
                assertArrayEquals(big, gathered(v), "the object as rados put wrote it");
                assertArrayEquals(big, v.toByteArray());
                assertEquals(true, v.nioBuffers()[0].isReadOnly());
            }
            Path got = tmp.resolve("got-big");
            c.radosOrThrow("-p", pool, "get", "view-big", got.toString());
            try (ReadView v = io.readViewAsync("view-big", 0, 0).get(30, TimeUnit.SECONDS)) {
                assertArrayEquals(Files.readAllBytes(got), gathered(v), "length 0: the whole object, as rados get reads it");
            }
            try (ReadView v = io.readViewAsync("view-big", 1_000_003, 3 << 20).get(30, TimeUnit.SECONDS)) {
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 1_000_003, 1_000_003 + (3 << 20)), gathered(v));
                ByteBuffer direct = ByteBuffer.allocateDirect(v.length());
                v.copyTo(direct);
                byte[] viaCopy = new byte[v.length()];
                direct.flip().get(viaCopy);
                assertArrayEquals(gathered(v), viaCopy);
            }
            try (ReadView v = io.readView("view-big", big.length - 100, 4096)) {
                assertEquals(100, v.length(), "past the end of the object: a shorter view");
                assertArrayEquals(java.util.Arrays.copyOfRange(big, big.length - 100, big.length), v.toByteArray());
            }
            try (ReadView v = io.readView("view-big", big.length + 10, 4096)) {
                assertEquals(0, v.length(), "wholly past the end: an empty view");
                assertEquals(0, v.nioBuffers().length);
            }
            assertThrows(RadosException.ObjectNotFoundException.class, () -> io.readView("no-such-object", 0, 8));
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> io.readViewAsync("no-such-object", 0, 8).get(30, TimeUnit.SECONDS));
            assertEquals(true, e.getCause() instanceof RadosException.ObjectNotFoundException, String.valueOf(e.getCause()));
            // many in flight, closed in another order than they completed; one cancelled at once
            java.util.List<java.util.concurrent.CompletableFuture<ReadView>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                fs.add(io.readViewAsync("view-big", (long) i << 18, 1 << 20));
            }
            java.util.concurrent.CompletableFuture<ReadView> cancelled = io.readViewAsync("view-big", 0, big.length);
            cancelled.cancel(false);
            for (int i = 15; i >= 0; i--) {
                try (ReadView v = fs.get(i).get(30, TimeUnit.SECONDS)) {
                    int from = i << 18;
                    assertArrayEquals(java.util.Arrays.copyOfRange(big, from, from + (1 << 20)), v.toByteArray(), "view " + i);
                }
            }
            ReadView closed = io.readView("view-big", 0, 10);
            closed.close();
            assertThrows(IllegalStateException.class, closed::toByteArray);
        }
        // a buffer never released is reported once it is collected and the detector next runs
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int k = 0; k < 64; k++) {
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(1024).release();
            }
            Thread.sleep(50);
        }
        java.util.List<String> leaks = org.jceph.rados.testlog.LogCapture.events().stream()
                .map(org.jceph.rados.testlog.LogCapture.Event::text).filter(t -> t.contains("LEAK")).toList();
        assertEquals(java.util.List.of(), leaks, "no receive buffer leaked");
    }
}
