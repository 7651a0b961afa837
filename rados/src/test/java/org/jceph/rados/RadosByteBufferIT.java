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
}
