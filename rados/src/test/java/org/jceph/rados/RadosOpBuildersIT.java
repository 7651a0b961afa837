package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/** ReadOperation and WriteOperation against a live OSD: step results, guards, flags and checksums. */
@RealCluster
@CrossRelease
class RadosOpBuildersIT extends LiveIoCtxIT {
    @Test
    void aWriteAppliesAllItsStepsAndTheReadGivesEachStepsResult() {
        long v = io.operate("ops", new WriteOperation().create(false).setAllocHint(4 << 20, 4096, 0)
                .writeFull(b("abcdef")).setXattr("owner", b("alice")).setXattr("count", b("42"))
                .omapSetVals(Map.of("k1", b("v1"), "k2", b("v2"))).omapSetHeader(b("hdr")));
        assertTrue(v > 0);
        assertEquals("abcdef", c.radosOrThrow("-p", pool, "get", "ops", "/dev/stdout").trim());

        ReadOperation r = new ReadOperation();
        StepResult<IoCtx.ObjectStat> stat = r.stat();
        StepResult<byte[]> data = r.read(2, 3);
        StepResult<java.util.SortedSet<String>> keys = r.omapGetKeys("", 10);
        StepResult<java.util.SortedMap<String, byte[]>> vals = r.omapGetVals("k1", "", 10);
        StepResult<java.util.SortedMap<String, byte[]>> byKeys = r.omapGetValsByKeys(List.of("k1", "absent"));
        StepResult<byte[]> header = r.omapGetHeader();
        StepResult<java.util.SortedMap<String, byte[]>> xattrs = r.getXattrs();
        StepResult<List<Long>> crc = r.checksum(ChecksumType.CRC32C, -1, 0, 6, 3);
        StepResult<byte[]> absent = r.getXattr("absent");
        r.setFlags(OpFlag.FAILOK);
        assertEquals(v, io.operate("ops", r.assertVersion(v)));
        assertEquals(6, stat.get().size());
        assertArrayEquals(b("cde"), data.get());
        assertEquals(Set.of("k1", "k2"), keys.get());
        assertEquals(Set.of("k2"), vals.get().keySet());
        assertEquals(Set.of("k1"), byKeys.get().keySet());
        assertArrayEquals(b("hdr"), header.get());
        assertTrue(xattrs.get().keySet().containsAll(Set.of("owner", "count")));
        // Ceph's crc32c is the raw register (no final inversion): the complement of java.util.zip.CRC32C
        assertEquals(List.of(rawCrc32c(b("abc")), rawCrc32c(b("def"))), crc.get());
        assertEquals(-61, absent.returnValue(), "FAILOK: the step failed, the operation did not");
        assertThrows(RadosException.NoDataException.class, absent::get);
    }

    private static long rawCrc32c(byte[] data) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(data);
        return ~c.getValue() & 0xffff_ffffL;
    }

    @Test
    void xxhashChecksumsMatchTheReferenceValues() {
        io.writeFull("xx", b("a"));
        ReadOperation r = new ReadOperation();
        StepResult<List<Long>> x32 = r.checksum(ChecksumType.XXHASH32, 0, 0, 1, 0);
        StepResult<List<Long>> x64 = r.checksum(ChecksumType.XXHASH64, 0, 0, 1, 0);
        io.operate("xx", r);
        assertEquals(List.of(0x550D7456L), x32.get());
        assertEquals(List.of(0xD24EC4F1A98C6E5BL), x64.get());
    }

    @Test
    void guardsFailTheWholeWriteWithTypedErrors() {
        io.operate("guarded", new WriteOperation().writeFull(b("0123456789")).setXattr("n", b("10")).setXattr("s", b("m")));
        RadosException.CompareMismatchException mismatch = assertThrows(RadosException.CompareMismatchException.class,
                () -> io.operate("guarded", new WriteOperation().cmpExt(2, b("23x5")).writeFull(b("changed"))));
        assertEquals(2, mismatch.offset(), mismatch.getMessage());
        io.operate("guarded", new WriteOperation().cmpExt(2, b("2345")).append(b("!")));
        assertArrayEquals(b("0123456789!"), io.read("guarded", 0, 0));

        // the OSD evaluates "given OP stored"; u64 mode compares numbers: 9 < 10, though "9" > "10" as strings
        io.operate("guarded", new WriteOperation().cmpXattr("n", IoCtx.Comparison.LT, 9L).setXattr("seen", b("y")));
        assertThrows(RadosException.CanceledException.class,
                () -> io.operate("guarded", new WriteOperation().cmpXattr("n", IoCtx.Comparison.LT, b("9")).remove()));
        assertThrows(RadosException.CanceledException.class,
                () -> io.operate("guarded", new WriteOperation().cmpXattr("n", IoCtx.Comparison.GT, 9L).remove()));
        io.operate("guarded", new WriteOperation().cmpXattr("s", IoCtx.Comparison.LTE, b("m")).setXattr("seen2", b("y")));
        assertThrows(RadosException.CanceledException.class,
                () -> io.operate("guarded", new WriteOperation().cmpXattr("s", IoCtx.Comparison.NE, b("m")).remove()));
        long v = io.version("guarded");
        assertThrows(RadosException.class, () -> io.operate("guarded", new WriteOperation().assertVersion(v - 1).remove()));
        assertThrows(RadosException.ObjectNotFoundException.class,
                () -> io.operate("never-written", new WriteOperation().assertExists().writeFull(b("x"))));
        assertFalse(io.listObjects().stream().anyMatch(o -> o.oid().equals("never-written")));
        assertEquals(11, io.stat("guarded").size(), "nothing of the failed writes applied");
    }

    @Test
    void aFailedReadFailsEveryStepResult() {
        ReadOperation r = new ReadOperation();
        StepResult<IoCtx.ObjectStat> stat = r.stat();
        assertThrows(RadosException.ObjectNotFoundException.class, () -> io.operate("nothing-here", r));
        assertThrows(RadosException.ObjectNotFoundException.class, stat::get);
        assertEquals(-2, stat.returnValue());
    }
}
