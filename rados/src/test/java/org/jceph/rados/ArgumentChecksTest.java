package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments are refused before anything is sent, naming the argument: these checks run on an
 * IoCtx without a client, so any that reached the client would fail with a different exception.
 */
class ArgumentChecksTest {
    private final IoCtx io = new IoCtx(null, 1, "p");

    private static void iae(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static void npe(String expected, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void readsRefuseNegativeOffsetsAndLengths() {
        iae("offset must not be negative: -1", () -> io.read("o", -1, 10));
        iae("length must not be negative: -5", () -> io.read("o", 0, -5));
        iae("offset must not be negative", () -> io.readAsync("o", -1, 10));
        iae("length must not be negative", () -> io.sparseRead("o", 0, -1));
        iae("offset + length overflows", () -> io.zero("o", Long.MAX_VALUE, 10));
        iae("offset must not be negative", () -> io.write("o", -3, new byte[1]));
        iae("size must not be negative", () -> io.truncate("o", -1));
    }

    @Test
    void nullsAreNamed() {
        npe("oid must not be null", () -> io.read(null, 0, 1));
        npe("oid must not be null", () -> io.writeFull(null, new byte[1]));
        npe("oid must not be null", () -> io.stat(null));
        npe("data must not be null", () -> io.writeFull("o", (byte[]) null));
        npe("name must not be null", () -> io.getXattr("o", null));
        npe("value must not be null", () -> io.setXattr("o", "n", null));
        npe("listener must not be null", () -> io.watch("o", null));
        npe("operation must not be null", () -> io.operate("o", (IoCtx.Operation) null));
        npe("operation must not be null", () -> io.operate("o", (ReadOperation) null));
        npe("operation must not be null", () -> io.operate("o", (WriteOperation) null));
        iae("oid must not be empty", () -> io.remove(""));
    }

    @Test
    void asyncFormsCheckArgumentsBeforeReturningAFuture() {
        npe("name must not be null", () -> io.getXattrAsync("o", null));
        npe("value must not be null", () -> io.setXattrAsync("o", "n", null));
        npe("oid must not be null", () -> io.rmXattrAsync(null, "n"));
        npe("op must not be null", () -> io.cmpXattrAsync("o", "n", null, new byte[0]));
        npe("startAfter must not be null", () -> io.omapGetKeysAsync("o", null, 1));
        iae("max must not be negative", () -> io.omapGetValsAsync("o", "", "", -1));
        npe("keys must not be null", () -> io.omapGetValsByKeysAsync("o", null));
        npe("values must not be null", () -> io.omapSetValsAsync("o", null));
        npe("header must not be null", () -> io.omapSetHeaderAsync("o", null));
        npe("keys must not be null", () -> io.omapRmKeysAsync("o", null));
        iae("oid must not be empty", () -> io.omapClearAsync(""));
        npe("method must not be null", () -> io.execAsync("o", "lock", null, new byte[0]));
        npe("data must not be null", () -> io.appendAsync("o", (byte[]) null));
        iae("size must not be negative", () -> io.truncateAsync("o", -1));
        npe("cookie must not be null", () -> io.lockAsync("o", "l", false, null, "", "", 0));
        iae("durationSeconds must not be negative", () -> io.lockAsync("o", "l", false, "c", "", "", -1));
        npe("name must not be null", () -> io.unlockAsync("o", null, "c"));
        npe("locker must not be null", () -> io.breakLockAsync("o", "l", null, "c"));
        npe("name must not be null", () -> io.getLockInfoAsync("o", null));
        npe("oid must not be null", () -> io.listLocksAsync(null));
        npe("listener must not be null", () -> io.watchAsync("o", null));
        npe("payload must not be null", () -> io.notifyAsync("o", null, 5));
        iae("timeoutSeconds must be positive: 0", () -> io.notifyAsync("o", new byte[0], 0));
        npe("oid must not be null", () -> io.unwatchAsync(null, 1));
        npe("oid must not be null", () -> io.listWatchersAsync(null));
        iae("length must not be negative", () -> io.sparseReadAsync("o", 0, -1));
        npe("name must not be null", () -> io.snapCreateAsync(null));
        npe("name must not be null", () -> io.snapRemoveAsync(null));
        npe("ns must not be null", () -> io.listObjectsAsync(null));
        npe("commands must not be null", () -> io.tmapUpdateAsync("o", null));
    }

    @Test
    void bufferFormsCheckArgumentsUpFront() {
        npe("data must not be null", () -> io.writeFull("o", (java.nio.ByteBuffer) null));
        npe("dst must not be null", () -> io.read("o", 0, (java.nio.ByteBuffer) null));
        iae("offset must not be negative", () -> io.read("o", -1, java.nio.ByteBuffer.allocate(1)));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> io.readAsync("o", 0, java.nio.ByteBuffer.allocate(1).asReadOnlyBuffer()));
        assertThrows(IndexOutOfBoundsException.class, () -> io.read("o", 0, new byte[4], 3, 2));
        npe("oid must not be null", () -> io.write(null, 0, java.nio.ByteBuffer.allocate(1)));
    }

    @Test
    void cmpxattrComparisonsAreNamed() {
        assertEquals(IoCtx.Comparison.GTE, IoCtx.Comparison.of(4));
        iae("op must be a cmpxattr comparison 1 (EQ) to 6 (LTE): 7", () -> io.cmpXattr("o", "n", 7, new byte[0]));
        iae("op must be a cmpxattr comparison", () -> new IoCtx.Operation().cmpXattr("n", 0, new byte[0]));
    }

    @Test
    void anOperationMixingWritesWithDataReadsIsRefused() {
        IoCtx.Operation mixed = new IoCtx.Operation().writeFull(new byte[] {1}).read(0, 1);
        iae("operation mixes a write (writeFull) with a read that returns data (read)", () -> io.operate("o", mixed));
        iae("operation mixes a write (setXattr) with a read that returns data (getXattr)",
                () -> io.operateAsync("o", new IoCtx.Operation().getXattr("a").setXattr("b", new byte[0])));
        iae("operation has no steps", () -> io.operate("o", new IoCtx.Operation()));
        // guards are fine in a write, and reads alone are fine
        new IoCtx.Operation().assertExists().assertVersion(3).cmpXattr("a", IoCtx.Comparison.EQ, new byte[0])
                .writeFull(new byte[0]).exec("c", "m", new byte[0]).check();
        new IoCtx.Operation().read(0, 1).getXattrs().omapGetVals("", "", 10).check();
    }

    @Test
    void timeoutOptionsTakeZeroAsNone() {
        CephConfig conf = CephConfig.builder().set("rados_osd_op_timeout", "0").set("rados_mon_op_timeout", "2.5")
                .set("client_mount_timeout", "-1").set("x", "soon").build();
        assertEquals(Duration.ZERO, Timeouts.option(conf, "rados_osd_op_timeout", "30"));
        assertTrue(Timeouts.isNone(Timeouts.option(conf, "rados_osd_op_timeout", "30")));
        assertEquals(Duration.ofMillis(2500), Timeouts.option(conf, "rados_mon_op_timeout", "30"));
        assertEquals(Duration.ofSeconds(30), Timeouts.option(conf, "unset_option", "30"));
        iae("client_mount_timeout must be 0 (no timeout) or a positive number of seconds: '-1'",
                () -> Timeouts.option(conf, "client_mount_timeout", "300"));
        iae("x is not a number of seconds: 'soon'", () -> Timeouts.option(conf, "x", "1"));
    }

    @Test
    void anIoCtxTimeoutOfZeroIsAllowedAndANegativeOneIsNot() {
        io.setOpTimeout(Duration.ZERO);
        assertEquals(Duration.ZERO, io.opTimeout());
        iae("timeout must not be negative", () -> io.setOpTimeout(Duration.ofSeconds(-1)));
    }
}
