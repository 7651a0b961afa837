package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jceph.rados.IoCtx;
import org.junit.jupiter.api.Test;

/**
 * The snap-set arithmetic behind rbd diff without fast-diff, on hand-built snap sets whose
 * answers follow from librados' rules (and were seen on Pacific: RbdCommandIT compares whole
 * outputs with the rbd tool).
 */
class SnapSetDiffTest {
    private static final long HEAD = IoCtx.CloneInfo.HEAD;
    private static final long MB = 1 << 20;

    private static IoCtx.CloneInfo clone(long id, List<Long> snaps, long size, long[]... overlap) {
        return new IoCtx.CloneInfo(id, snaps, List.of(overlap), size);
    }

    private static IoCtx.CloneInfo head(long size) {
        return new IoCtx.CloneInfo(HEAD, List.of(), List.of(), size);
    }

    private static String ranges(ImageDiff.Ranges r) {
        List<String> out = new ArrayList<>();
        for (long[] x : r) {
            out.add(x[0] + "-" + x[1]);
        }
        return String.join(",", out);
    }

    private static ImageDiff.Ranges in(long a, long b) {
        ImageDiff.Ranges r = new ImageDiff.Ranges();
        r.add(a, b);
        return r;
    }

    @Test
    void anObjectWrittenOnlyAtHeadDiffersOverItsSizeFromTheBeginning() {
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(head(4096)), 0);
        ImageDiff.SnapDiff d = ImageDiff.calcSnapSetDiff(ss, 0, HEAD);
        assertEquals("0-4096", ranges(d.diff()));
        assertTrue(d.endExists());
        assertEquals(4096, d.endSize());
    }

    @Test
    void aWriteAfterASnapshotDiffersOutsideTheOverlap() {
        // snap 4 preserved 1 MiB; the head then rewrote [8K, 16K) and kept the rest
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), MB, new long[] {0, 8192}, new long[] {16384, MB - 16384}), head(MB)), 4);
        assertEquals("8192-16384", ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD).diff()));
        // from the beginning the snapshot's whole object differs
        assertEquals("0-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 0, HEAD).diff()));
        // and nothing differs between the snapshot and itself
        assertEquals("", ranges(ImageDiff.calcSnapSetDiff(ss, 4, 4).diff()));
    }

    @Test
    void anObjectDeletedAfterASnapshotIsGoneAtHeadWithItsOldBytesAsTheDiff() {
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(clone(4, List.of(4L), 3 * 4096)), 4);
        ImageDiff.SnapDiff d = ImageDiff.calcSnapSetDiff(ss, 4, HEAD);
        assertFalse(d.endExists());
        assertEquals(0, d.endSize());
        assertEquals("0-12288", ranges(d.diff()));
        // from the beginning it was never there at either end: nothing
        assertEquals("", ranges(ImageDiff.calcSnapSetDiff(ss, 0, HEAD).diff()));
    }

    @Test
    void aShrinkBetweenClonesKeepsTheCutBytesInTheDiffAsPacificDoes() {
        // snap 4: 1 MiB; snap 6: shrunk to 256K; head: 256K, all shared with snap 6
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), MB, new long[] {0, 256 * 1024}),
                clone(6, List.of(6L), 256 * 1024, new long[] {0, 256 * 1024}),
                head(256 * 1024)), 6);
        // Pacific adds [0, max(1M, 256K)) minus the overlap on the step 4 -> 6
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD).diff()));
        ImageDiff.SnapDiff fromStart = ImageDiff.calcSnapSetDiff(ss, 0, HEAD);
        assertEquals("0-" + MB, ranges(fromStart.diff()));
        assertEquals(256 * 1024, fromStart.endSize());
    }

    @Test
    void aClonesWithTrimmedSnapsAsksForTheWholeObject() {
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(clone(4, List.of(), MB), head(MB)), 4);
        assertTrue(ImageDiff.calcSnapSetDiff(ss, 4, HEAD).whole());
    }

    @Test
    void theObjectDeltaMarksBytesCutByAShrinkSinceTheStartAsZeroes() {
        // from snap 4 (1 MiB) to head (256K): [256K, 1M) is zeroes, not data
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), MB, new long[] {0, 256 * 1024}), head(256 * 1024)), 4);
        var extents = ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), false, MB);
        assertEquals("262144-1048576:zero", extents);
        // whole object: the cut part is still zeroes and the rest is data, as librbd splits it
        assertEquals("0-262144:data,262144-1048576:zero", ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), true, MB));
        // limited to the part of the object inside the walked range
        assertEquals("262144-524288:zero", ImageDiffProbe.delta(ss, 4, HEAD, in(0, 512 * 1024), false, MB));
    }

    @Test
    void reefAndLaterCountATruncatedObjectWholeInWholeObjectDiffs() {
        // snap 4: 1 MiB; head truncated to 768K (a discard up to the object's end): from 4 to head
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), MB, new long[] {0, 768 * 1024}), head(768 * 1024)), 4);
        boolean pacificClip = ImageDiff.clipsTruncation(16, true);
        boolean reefClip = ImageDiff.clipsTruncation(18, true);
        assertTrue(pacificClip);
        assertFalse(reefClip);
        // Pacific 16.2.15: the cut tail is zeroes (rbd du counts 768 KiB)
        assertEquals("0-786432:data,786432-1048576:zero", ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), true, MB, pacificClip));
        // Reef 18.2.7 / Tentacle 20.2.4: the whole object is data (rbd du counts 1 MiB)
        assertEquals("0-1048576:data", ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), true, MB, reefClip));
        // exact mode keeps the clip on every release
        assertTrue(ImageDiff.clipsTruncation(18, false));
        assertEquals("786432-1048576:zero", ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), false, MB,
                ImageDiff.clipsTruncation(20, false)));
    }

    private static final long K = 1024;

    @Test
    void onlyReefAndLaterBoundWhatAShrinkAdds() {
        assertFalse(ImageDiff.boundsShrinks(16));
        assertFalse(ImageDiff.boundsShrinks(17));
        assertTrue(ImageDiff.boundsShrinks(18));
        assertTrue(ImageDiff.boundsShrinks(20));
    }

    @Test
    void fromTheBeginningATruncatedObjectDiffersOnlyUpToItsEndSizeFromReefOn() {
        // snap 4 kept 1 MiB; the head was then cut to 768K (a discard reaching the object's end)
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), MB, new long[] {0, 768 * K}), head(768 * K)), 4);
        ImageDiff.SnapDiff pacific = ImageDiff.calcSnapSetDiff(ss, 0, HEAD, false);
        ImageDiff.SnapDiff reef = ImageDiff.calcSnapSetDiff(ss, 0, HEAD, true);
        assertEquals("0-" + MB, ranges(pacific.diff()));
        assertEquals("0-786432", ranges(reef.diff()));
        assertEquals(768 * K, reef.endSize());
        assertTrue(reef.endExists());
        // what rbd diff (exact) prints for the object: Pacific counts the cut tail as data
        assertEquals("0-1048576:data", ImageDiffProbe.delta(ss, 0, HEAD, in(0, MB), false, MB, true, false));
        assertEquals("0-786432:data", ImageDiffProbe.delta(ss, 0, HEAD, in(0, MB), false, MB, true, true));
        // the three-argument form is Pacific's
        assertEquals(ranges(pacific.diff()), ranges(ImageDiff.calcSnapSetDiff(ss, 0, HEAD).diff()));
    }

    @Test
    void aShrinkOfBytesThatAllExistedAtTheStartCountsThemOnEveryRelease() {
        // snap 4: 1 MiB; snap 6: cut to 256K; head: 256K, shared with snap 6
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), MB, new long[] {0, 256 * K}),
                clone(6, List.of(6L), 256 * K, new long[] {0, 256 * K}),
                head(256 * K)), 6);
        // from snap 4 the object was 1 MiB: [256K, 1M) changed on both releases
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD, true).diff()));
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD, false).diff()));
        // from the beginning Reef drops what was cut: only the surviving 256K
        assertEquals("0-262144", ranges(ImageDiff.calcSnapSetDiff(ss, 0, HEAD, true).diff()));
        assertEquals("0-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 0, HEAD, false).diff()));
        // between snapshots 4 and 6 too
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, 6, true).diff()));
        assertEquals("0-262144", ranges(ImageDiff.calcSnapSetDiff(ss, 0, 6, true).diff()));
    }

    @Test
    void bytesGrownAndCutAgainAfterTheStartAreNoDifferenceFromReefOn() {
        // snap 4: 256K; snap 6: grown to 1 MiB (first 256K shared); head: cut to 512K (first 512K shared)
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), 256 * K, new long[] {0, 256 * K}),
                clone(6, List.of(6L), MB, new long[] {0, 512 * K}),
                head(512 * K)), 6);
        // Pacific keeps [512K, 1M), which exists at neither end
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD, false).diff()));
        // Reef: only the grown part that is still there
        assertEquals("262144-524288", ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD, true).diff()));
        // a step to a larger clone is the same on both
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, 6, true).diff()));
    }

    @Test
    void aCutBelowTheStartSizeAfterAGrowthKeepsTheStartBytesThatWereCut() {
        // snap 4: 512K; snap 6: grown to 1 MiB (first 512K shared); head: cut to 256K (first 256K shared)
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(
                clone(4, List.of(4L), 512 * K, new long[] {0, 512 * K}),
                clone(6, List.of(6L), MB, new long[] {0, 256 * K}),
                head(256 * K)), 6);
        // Reef: the boundary is the start size 512K: [256K, 512K) existed at the start and is gone
        assertEquals("262144-524288", ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD, true).diff()));
        assertEquals("262144-" + MB, ranges(ImageDiff.calcSnapSetDiff(ss, 4, HEAD, false).diff()));
        // as the object delta from snap 4 (exact): [256K, 512K) is zeroes on both; Pacific also
        // reports [512K, 1M), past the head's end, as data
        assertEquals("262144-524288:zero", ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), false, MB, true, true));
        assertEquals("262144-524288:zero,524288-1048576:data",
                ImageDiffProbe.delta(ss, 4, HEAD, in(0, MB), false, MB, true, false));
    }

    @Test
    void theShrinkRuleDoesNotChangeObjectsThatAreGoneOrBornLater() {
        // deleted after snap 4: gone at the head, its 12K is the diff from snap 4 on both rules
        IoCtx.SnapSet gone = new IoCtx.SnapSet(List.of(clone(4, List.of(4L), 3 * 4096)), 4);
        assertEquals("0-12288", ranges(ImageDiff.calcSnapSetDiff(gone, 4, HEAD, true).diff()));
        assertEquals("", ranges(ImageDiff.calcSnapSetDiff(gone, 0, HEAD, true).diff()));
        // born after snap 4 at 1 MiB, cut to 256K at the head: from 4 only the surviving bytes
        IoCtx.SnapSet born = new IoCtx.SnapSet(List.of(
                clone(6, List.of(6L), MB, new long[] {0, 256 * K}), head(256 * K)), 6);
        assertEquals("0-262144", ranges(ImageDiff.calcSnapSetDiff(born, 4, HEAD, true).diff()));
        assertEquals("0-" + MB, ranges(ImageDiff.calcSnapSetDiff(born, 4, HEAD, false).diff()));
    }

    /** Renders {@link ImageDiff#objectDelta} as text. */
    static final class ImageDiffProbe {
        static String delta(IoCtx.SnapSet ss, long from, long end, ImageDiff.Ranges in, boolean whole, long os) {
            return delta(ss, from, end, in, whole, os, true);
        }

        static String delta(IoCtx.SnapSet ss, long from, long end, ImageDiff.Ranges in, boolean whole, long os,
                            boolean clip) {
            return delta(ss, from, end, in, whole, os, clip, false);
        }

        static String delta(IoCtx.SnapSet ss, long from, long end, ImageDiff.Ranges in, boolean whole, long os,
                            boolean clip, boolean boundShrinks) {
            var c = ImageDiff.objectDelta(ss, from, end, in, whole, os, clip, boundShrinks);
            List<String> out = new ArrayList<>();
            for (long[] r : ImageDiff.rangesOf(c)) {
                out.add(r[0] + "-" + r[1] + ":" + (r[2] == 1 ? "data" : "zero"));
            }
            out.sort((x, y) -> Long.compare(Long.parseLong(x.split("-")[0]), Long.parseLong(y.split("-")[0])));
            return String.join(",", out);
        }
    }
}
