package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.junit.jupiter.api.Test;

/** The read/write builders without a cluster: refusals, flags, and how replies fill the step results. */
class OperationBuildersTest {
    private final IoCtx io = new IoCtx(null, 1, "p");

    @Test
    void refusedOperationsAreTypedAndSayWhy() {
        IllegalOperationException empty = assertThrows(IllegalOperationException.class, () -> io.operate("o", new ReadOperation()));
        assertEquals("the read operation has no steps", empty.getMessage());
        IllegalOperationException guards = assertThrows(IllegalOperationException.class,
                () -> io.operate("o", new WriteOperation().assertExists().cmpXattr("a", IoCtx.Comparison.EQ, new byte[0])));
        assertTrue(guards.getMessage().contains("use a ReadOperation"), guards.getMessage());
        IllegalOperationException noStep = assertThrows(IllegalOperationException.class, () -> new ReadOperation().setFlags(OpFlag.FAILOK));
        assertTrue(noStep.getMessage().contains("last step"));
        // the deprecated Operation refuses a mixed op with the same typed exception
        @SuppressWarnings("deprecation")
        IoCtx.Operation mixed = new IoCtx.Operation().writeFull(new byte[1]).read(0, 0);
        assertThrows(IllegalOperationException.class, () -> io.operate("o", mixed));
    }

    @Test
    void argumentsAreCheckedWhenAStepIsAdded() {
        assertThrows(IllegalArgumentException.class, () -> new ReadOperation().read(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReadOperation().checksum(ChecksumType.CRC32C, -1, 0, 10, 4));
        NullPointerException n = assertThrows(NullPointerException.class, () -> new WriteOperation().cmpXattr("a", null, 5L));
        assertEquals("op must not be null", n.getMessage());
        assertThrows(NullPointerException.class, () -> new WriteOperation().omapSetVals(null));
        assertThrows(IllegalArgumentException.class, () -> new WriteOperation().setAllocHint(-1, 0, 0));
    }

    @Test
    void flagsGoOnTheLastStepAndCmpxattrModesAreNamed() {
        ReadOperation r = new ReadOperation();
        r.read(0, 10);
        r.getXattr("x");
        r.setFlags(OpFlag.FAILOK, OpFlag.FADVISE_NOCACHE);
        assertEquals(0, r.ops().get(0).flags());
        assertEquals(0x42, r.ops().get(1).flags());
        WriteOperation w = new WriteOperation().cmpXattr("n", IoCtx.Comparison.GTE, 7L).cmpXattr("s", IoCtx.Comparison.LT, new byte[] {'a'});
        OsdOp u64 = w.ops().get(0);
        assertEquals(OsdOp.CMPXATTR, u64.op());
        assertEquals(IoCtx.Comparison.GTE.code(), u64.unionValues()[2]);
        assertEquals(2, u64.unionValues()[3], "u64 mode");
        assertEquals(1, w.ops().get(1).unionValues()[3], "string mode");
        ReadOperation c = new ReadOperation();
        c.checksum(ChecksumType.XXHASH64, 9, 0, 8, 4);
        OsdOp cs = c.ops().get(0);
        assertEquals(OsdOp.CHECKSUM, cs.op());
        assertEquals(List.of(0L, 8L, 4L, 1L), java.util.Arrays.stream(cs.unionValues()).boxed().toList());
        assertEquals(8, cs.input().length, "a 64-bit seed");
    }

    @Test
    void writeSameCarriesOffsetLengthAndPatternLength() {
        WriteOperation w = new WriteOperation().writeSame(4096, 12, new byte[] {1, 2, 3});
        OsdOp ws = w.ops().get(0);
        assertEquals(OsdOp.WRITESAME, ws.op());
        assertEquals("writesame", ws.unionCase());
        assertEquals(List.of(4096L, 12L, 3L), java.util.Arrays.stream(ws.unionValues()).boxed().toList());
        assertEquals(3, ws.input().length);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new WriteOperation().writeSame(0, 10, new byte[] {1, 2, 3}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new WriteOperation().writeSame(0, 0, new byte[0]));
    }

    @Test
    void repliesFillTheStepResultsAndFailokStepsCarryTheirError() {
        ReadOperation r = new ReadOperation();
        StepResult<byte[]> data = r.read(0, 0);
        StepResult<byte[]> attr = r.getXattr("missing");
        r.setFlags(OpFlag.FAILOK);
        StepResult<List<Long>> sums = r.checksum(ChecksumType.CRC32C, -1, 0, 8, 4);
        IllegalStateException early = assertThrows(IllegalStateException.class, data::get);
        assertTrue(early.getMessage().contains("has not completed"));

        byte[] checksums = org.jceph.encoding.CephEncoder.toBytes(e -> e.writeU32Le(2).writeU32Le(0xdeadbeefL).writeU32Le(7));
        r.complete(new OsdOpMessages.Reply(1, "o", null, 0, 0, 1, List.of(0, -61, 0),
                List.of(new byte[] {1, 2}, new byte[0], checksums), 5, null, 0), "object 'o' in pool 'p'");
        assertEquals(2, data.get().length);
        RadosException.NoDataException nodata = assertThrows(RadosException.NoDataException.class, attr::get);
        assertTrue(nodata.getMessage().contains("step getXattr"), nodata.getMessage());
        assertEquals(-61, attr.returnValue());
        assertEquals(List.of(0xdeadbeefL, 7L), sums.get());
    }

    @Test
    void cmpextMismatchIsTypedWithItsOffset() {
        RadosException e = RadosException.of(-4095 - 3, "object 'o'");
        assertTrue(e instanceof RadosException.CompareMismatchException, e.toString());
        assertEquals(3, ((RadosException.CompareMismatchException) e).offset());
        assertTrue(e.getMessage().contains("differ at byte 3"), e.getMessage());
    }

    @Test
    void anOperationRunsOnce() {
        WriteOperation w = new WriteOperation().omapSetVals(Map.of("k", new byte[0]));
        w.steps();
        assertThrows(IllegalStateException.class, w::steps);
        assertThrows(IllegalStateException.class, () -> w.omapClear());
    }
}
