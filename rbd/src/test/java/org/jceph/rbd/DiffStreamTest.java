package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diff stream's records, parsing, sparse runs and merging, without a cluster. */
class DiffStreamTest {
    /** A v1 stream: from, to, size, then the records ({offset, length, fill or -1 for zero}). */
    private static byte[] v1(String from, String to, long size, long[]... recs) {
        DiffStream.Enc e = new DiffStream.Enc().raw(DiffStream.BANNER_V1.getBytes(StandardCharsets.US_ASCII));
        if (from != null) {
            e.tag('f', 1, 0).string(from);
        }
        if (to != null) {
            e.tag('t', 1, 0).string(to);
        }
        e.tag('s', 1, 0).u64(size);
        for (long[] r : recs) {
            e.tag(r[2] < 0 ? 'z' : 'w', 1, 0).u64(r[0]).u64(r[1]);
            if (r[2] >= 0) {
                byte[] d = new byte[(int) r[1]];
                java.util.Arrays.fill(d, (byte) r[2]);
                e.raw(d);
            }
        }
        return e.u8('e').bytes();
    }

    @Test
    void recordsLayOutAsTheStockTool() {
        byte[] s = v1("a", "b", 0x1000, new long[] {16, 2, 7});
        byte[] want = new byte[] {'r', 'b', 'd', ' ', 'd', 'i', 'f', 'f', ' ', 'v', '1', '\n',
            'f', 1, 0, 0, 0, 'a', 't', 1, 0, 0, 0, 'b', 's', 0, 0x10, 0, 0, 0, 0, 0, 0,
            'w', 16, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7, 7, 'e'};
        assertArrayEquals(want, s);
        // v2: each tag but the end carries a u64 length
        byte[] v2 = new DiffStream.Enc().tag('s', 2, 8).u64(5).bytes();
        assertArrayEquals(new byte[] {'s', 8, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0}, v2);
    }

    @Test
    void parseReadsBothFormsAndSkipsUnknownV2Records() throws Exception {
        DiffStream.Parsed p = DiffStream.parse(new ByteArrayInputStream(v1(null, "x", 100, new long[] {0, 4, 1},
                new long[] {10, 5, -1})));
        assertNull(p.fromSnap());
        assertEquals("x", p.toSnap());
        assertEquals(2, p.records().size());
        assertNull(p.records().get(1).data());

        DiffStream.Enc e = new DiffStream.Enc().raw(DiffStream.BANNER_V2.getBytes(StandardCharsets.US_ASCII));
        e.tag('t', 2, 5).string("y").tag('p', 2, 1).u8(1).tag('Q', 2, 3).raw(new byte[3]).tag('s', 2, 8).u64(50);
        e.tag('z', 2, 16).u64(0).u64(50).u8('e');
        DiffStream.Parsed q = DiffStream.parse(new ByteArrayInputStream(e.bytes()));
        assertEquals("y", q.toSnap());
        assertEquals(true, q.protectedSnap());
        assertEquals(50, q.size());
        assertEquals(1, q.records().size());
    }

    @Test
    void malformedStreamsAreTyped() {
        assertThrows(DiffStream.MalformedDiffException.class,
                () -> DiffStream.parse(new ByteArrayInputStream("rbd image v2\n".getBytes(StandardCharsets.US_ASCII))));
        byte[] whole = v1("a", "b", 100, new long[] {0, 10, 3});
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            assertThrows(DiffStream.MalformedDiffException.class, () -> DiffStream.parse(new ByteArrayInputStream(part)));
        }
        byte[] unknown = new DiffStream.Enc().raw(DiffStream.BANNER_V1.getBytes(StandardCharsets.US_ASCII)).u8('Q').bytes();
        assertThrows(DiffStream.MalformedDiffException.class, () -> DiffStream.parse(new ByteArrayInputStream(unknown)));
    }

    @Test
    void sparseRunsGroupChunksFromTheRecordStart() {
        byte[] d = new byte[10_000];
        d[5000] = 1; // chunk 1 (4096..8191) has data
        assertArrayEquals(new int[] {4096, 1}, DiffStream.sparseRun(d, 0, 4096));
        assertArrayEquals(new int[] {4096, 0}, DiffStream.sparseRun(d, 4096, 4096));
        assertArrayEquals(new int[] {10_000 - 8192, 1}, DiffStream.sparseRun(d, 8192, 4096));
        assertArrayEquals(new int[] {10_000, 0}, DiffStream.sparseRun(d, 0, 0));
    }

    @Test
    void mergeOverridesCutsAndZeroesRegrowth() throws Exception {
        byte[] a = v1("s1", "s2", 100, new long[] {0, 40, 1}, new long[] {60, 30, 2});
        byte[] b = v1("s2", "s3", 200, new long[] {20, 10, 3});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiffStream.merge(new ByteArrayInputStream(a), new ByteArrayInputStream(b), out, DiffStream.Progress.NONE);
        DiffStream.Parsed m = DiffStream.parse(new ByteArrayInputStream(out.toByteArray()));
        assertEquals("s1", m.fromSnap());
        assertEquals("s3", m.toSnap());
        assertEquals(200, m.size());
        List<DiffStream.Record> r = m.records();
        assertEquals(List.of(0L, 20L, 30L, 60L, 100L), r.stream().map(DiffStream.Record::offset).toList());
        assertEquals(3, r.get(1).data()[0]);
        assertNull(r.get(4).data()); // 100..200 regrown: zeroes

        // a shrink in the second cuts what the first wrote beyond it
        byte[] c = v1("s2", "s3", 70, new long[] {0, 5, -1});
        out.reset();
        DiffStream.merge(new ByteArrayInputStream(a), new ByteArrayInputStream(c), out, DiffStream.Progress.NONE);
        m = DiffStream.parse(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(List.of(0L, 5L, 60L), m.records().stream().map(DiffStream.Record::offset).toList());
        assertEquals(10, m.records().get(2).length());

        byte[] wrong = v1("other", "s3", 70);
        assertThrows(DiffStream.MalformedDiffException.class, () -> DiffStream.merge(new ByteArrayInputStream(a),
                new ByteArrayInputStream(wrong), new ByteArrayOutputStream(), DiffStream.Progress.NONE));
    }
}
