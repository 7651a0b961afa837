package org.jceph.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protocol edge cases with a raw client: errors, bounds, disconnects and clean shutdown. */
class NbdProtocolTest {
    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int DISC = 2;
    private static final int FLUSH = 3;

    private MemoryExport disk;
    private MemoryExport frozen;
    private NbdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        disk = new MemoryExport("disk", 1 << 20, false);
        frozen = new MemoryExport("frozen", 1 << 20, true);
        server = NbdServer.builder().export(disk).export(frozen).bindTcp(new InetSocketAddress("127.0.0.1", 0))
                .queueDepth(4).maxPayload(64 * 1024).drainTimeout(Duration.ofSeconds(20)).build().start();
        address = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void goToAnUnknownExportIsAnErrorReplyNotATransmission() throws IOException {
        try (RawClient c = new RawClient(address)) {
            assertEquals(0x80000006, c.go("nope"));
        }
    }

    @Test
    void theEmptyNameIsTheDefaultExport() throws IOException {
        try (RawClient c = new RawClient(address)) {
            assertEquals(1, c.go(""));
            assertEquals(1 << 20, c.size);
        }
    }

    @Test
    void readBeyondTheEndIsEinvalAndTheConnectionStaysUsable() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, READ, 1, (1 << 20) - 10, 20, null);
            assertArrayEquals(new long[] {22, 1}, c.reply());
            c.request(0, READ, 2, 0, 16, null);
            assertArrayEquals(new long[] {0, 2}, c.reply());
            assertEquals(16, c.in.readNBytes(16).length);
        }
    }

    @Test
    void readsAndWritesThroughReusedBuffersCarryOnlyTheirOwnBytes() throws IOException {
        // the server reuses its payload buffers: a read must never show an earlier request's bytes
        byte[] a = new byte[8192];
        byte[] b = new byte[4096];
        java.util.Arrays.fill(a, (byte) 0x11);
        java.util.Arrays.fill(b, (byte) 0x22);
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, WRITE, 1, 0, a.length, a);
            assertArrayEquals(new long[] {0, 1}, c.reply());
            c.request(0, WRITE, 2, 65536, b.length, b);
            assertArrayEquals(new long[] {0, 2}, c.reply());
            for (int round = 0; round < 3; round++) {
                c.request(0, READ, 10 + round, 0, a.length, null);
                assertArrayEquals(new long[] {0, 10 + round}, c.reply());
                assertArrayEquals(a, c.in.readNBytes(a.length));
                c.request(0, READ, 20 + round, 65536, b.length, null);
                assertArrayEquals(new long[] {0, 20 + round}, c.reply());
                assertArrayEquals(b, c.in.readNBytes(b.length));
                c.request(0, READ, 30 + round, 512 << 10, a.length, null); // never written: zeros
                assertArrayEquals(new long[] {0, 30 + round}, c.reply());
                assertArrayEquals(new byte[a.length], c.in.readNBytes(a.length));
            }
        }
    }

    @Test
    void readsHandedOverAsViewsAreGatheredIntoTheReplyAndEveryViewIsClosed() throws IOException {
        disk.views = true; // the export hands over views in pieces (as RbdExport: the OSDs' replies)
        byte[] a = new byte[20_000];
        new java.util.Random(16).nextBytes(a);
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, WRITE, 1, 4096, a.length, a);
            assertArrayEquals(new long[] {0, 1}, c.reply());
            for (int round = 0; round < 3; round++) {
                c.request(0, READ, 10 + round, 4096, a.length, null);
                assertArrayEquals(new long[] {0, 10 + round}, c.reply());
                assertArrayEquals(a, c.in.readNBytes(a.length));
                c.request(0, READ, 20 + round, 512 << 10, 3000, null); // never written: zeros
                assertArrayEquals(new long[] {0, 20 + round}, c.reply());
                assertArrayEquals(new byte[3000], c.in.readNBytes(3000));
            }
            disk.shortViews = true; // a view of the wrong length is never sent: EIO, and the connection goes on
            c.request(0, READ, 30, 4096, 100, null);
            assertArrayEquals(new long[] {5, 30}, c.reply());
            disk.shortViews = false;
            c.request(0, READ, 31, 4096, 100, null);
            assertArrayEquals(new long[] {0, 31}, c.reply());
            assertArrayEquals(Arrays.copyOf(a, 100), c.in.readNBytes(100));
        }
        assertEquals(8, disk.handedOver.size());
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!disk.handedOver.stream().allMatch(org.jceph.rados.ReadView::isClosed) && System.nanoTime() < until) {
            Thread.onSpinWait(); // the last view is closed just after its reply left
        }
        assertTrue(disk.handedOver.stream().allMatch(org.jceph.rados.ReadView::isClosed), "every view is closed once replied");
    }

    @Test
    void aReadLargerThanTheAdvertisedMaximumIsEinval() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, READ, 9, 0, 128 * 1024, null);
            assertArrayEquals(new long[] {22, 9}, c.reply());
        }
    }

    @Test
    void anUnknownCommandIsEinval() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, 42, 5, 0, 0, null);
            assertArrayEquals(new long[] {22, 5}, c.reply());
        }
    }

    @Test
    void writesToAReadOnlyExportAreEperm() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("frozen");
            assertTrue((c.transmissionFlags & 2) != 0, "READ_ONLY advertised");
            c.request(0, WRITE, 3, 0, 4, new byte[] {1, 2, 3, 4});
            assertArrayEquals(new long[] {1, 3}, c.reply());
        }
    }

    @Test
    void aBadRequestMagicClosesTheConnection() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0xdeadbeef, 0, READ, 1, 0, 16, null);
            assertThrows(IOException.class, () -> {
                c.reply();
                c.reply();
            });
        }
    }

    @Test
    void anOversizedWriteClosesTheConnectionWithoutReadingItsPayload() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, WRITE, 1, 0, 1 << 30, null);
            Exception e = assertThrows(IOException.class, c::reply);
            assertTrue(e instanceof EOFException || e instanceof SocketException, e.toString());
        }
        assertEquals(0, disk.writesCompleted.get());
    }

    @Test
    void repliesComeBackForEveryCookieAndInFlightStaysWithinTheQueueDepth() throws IOException {
        disk.writeDelay(Duration.ofMillis(20));
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            byte[] block = new byte[4096];
            for (int i = 0; i < 32; i++) {
                Arrays.fill(block, (byte) i);
                c.request(0, WRITE, 100 + i, i * 4096L, 4096, block);
            }
            Set<Long> cookies = new HashSet<>();
            for (int i = 0; i < 32; i++) {
                long[] r = c.reply();
                assertEquals(0, r[0]);
                cookies.add(r[1]);
            }
            assertEquals(32, cookies.size());
        }
        assertTrue(disk.maxInFlight.get() <= 4, "in flight " + disk.maxInFlight.get() + " > queue depth 4");
        assertTrue(disk.maxInFlight.get() > 1, "requests did overlap");
        for (int i = 0; i < 32; i++) {
            assertEquals((byte) i, disk.snapshot(i * 4096L, 1)[0]);
        }
    }

    @Test
    void aClientThatDisconnectsMidRequestLosesNoWriteItSent() throws Exception {
        disk.writeDelay(Duration.ofMillis(50));
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            byte[] block = new byte[4096];
            Arrays.fill(block, (byte) 0x77);
            for (int i = 0; i < 4; i++) {
                c.request(0, WRITE, i, i * 4096L, 4096, block);
            }
            // and half of a fifth request's header, then gone
            c.out.writeInt(0x25609513);
            c.out.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (disk.writesCompleted.get() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(4, disk.writesCompleted.get(), "every complete write request was carried out");
        assertEquals(0x77, disk.snapshot(3 * 4096L, 1)[0]);
    }

    @Test
    void shutdownFinishesInFlightWritesAndFlushesBeforeClosing() throws IOException {
        disk.writeDelay(Duration.ofMillis(200));
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            byte[] block = new byte[4096];
            Arrays.fill(block, (byte) 0x42);
            for (int i = 0; i < 4; i++) {
                c.request(0, WRITE, 10 + i, i * 4096L, 4096, block);
            }
            // Let the server read them (the writes are now in flight, none completed yet).
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (disk.maxInFlight.get() < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            int flushesBefore = disk.flushes.get();
            server.close();
            for (int i = 0; i < 4; i++) {
                assertEquals(0, c.reply()[0], "write " + i + " acknowledged after shutdown began");
            }
            assertEquals(4, disk.writesCompleted.get());
            assertTrue(disk.flushes.get() > flushesBefore, "the export was flushed at shutdown");
        }
    }

    @Test
    void flushAndDiscAreAcknowledgedInOrder() throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.go("disk");
            c.request(0, WRITE, 1, 0, 4, new byte[] {9, 9, 9, 9});
            c.request(0, FLUSH, 2, 0, 0, null);
            Set<Long> got = new HashSet<>();
            got.add(c.reply()[1]);
            got.add(c.reply()[1]);
            assertEquals(Set.of(1L, 2L), got);
            c.request(0, DISC, 3, 0, 0, null);
            assertThrows(IOException.class, c::reply);
        }
    }
}
