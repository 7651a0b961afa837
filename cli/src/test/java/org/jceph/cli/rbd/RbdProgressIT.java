package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress lines of the long commands, byte for byte as the stock tool writes them on stderr
 * ({@code \rWHAT: N% complete...} each time the percentage grows, then {@code done.}), and
 * nothing with {@code --no-progress}. Every step runs twice, the stock tool on one image and
 * jceph on its twin; both images start alike (the stock tool writes them, 4 MiB objects).
 */
@RealCluster
class RbdProgressIT {
    @TempDir
    Path tmp;

    /** A pool of this class's own: trash purge works pool-wide. */
    private static String ownPool(CephCluster c) {
        String pool = "rbdx-progress";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    private static void filled(CephCluster c, String spec, String size) {
        c.rbdOrThrow("create", "--size", size, spec);
        c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4M", "--io-total", size, spec);
    }

    /** Runs the step with the stock tool on "...-s" names and with jceph on "...-j" names; same exit, same stderr. */
    private static String same(CephCluster c, Function<String, String[]> step) {
        CommandResult stock = c.rbd(step.apply("s"));
        Result ours = runRc(c, step.apply("j"));
        String what = String.join(" ", step.apply("*"));
        assertEquals(stock.exitCode(), ours.rc(), what + ": " + stock.stderr() + " / " + ours.err());
        assertEquals(stock.toolStderr(), ours.err(), what);
        return ours.err();
    }

    @Test
    void progressLinesAreTheStockTools(CephCluster c) {
        String pool = ownPool(c);
        for (String w : List.of("s", "j")) {
            filled(c, pool + "/a-" + w, "40M");
            filled(c, pool + "/p-" + w, "12M");
            c.rbdOrThrow("snap", "create", "--no-progress", pool + "/p-" + w + "@s");
            c.rbdOrThrow("snap", "protect", pool + "/p-" + w + "@s");
            c.rbdOrThrow("clone", pool + "/p-" + w + "@s", pool + "/ch-" + w);
        }
        String shrink = same(c, w -> new String[] {"resize", "--allow-shrink", "--size", "8M", pool + "/a-" + w});
        assertTrue(shrink.startsWith("\rResizing image: 20% complete...\rResizing image: 30% complete..."), shrink);
        assertTrue(shrink.endsWith("\rResizing image: 90% complete...\rResizing image: 100% complete...done.\n"), shrink);
        same(c, w -> new String[] {"resize", "--size", "40M", pool + "/a-" + w});
        for (String w : List.of("s", "j")) {
            c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4M", "--io-total", "40M", pool + "/a-" + w);
            c.rbdOrThrow("snap", "create", "--no-progress", pool + "/a-" + w + "@one");
        }
        String snap = same(c, w -> new String[] {"snap", "create", pool + "/a-" + w + "@two"});
        assertEquals("\rCreating snap: 10% complete...\rCreating snap: 100% complete...done.\n", snap);
        String again = same(c, w -> new String[] {"snap", "create", pool + "/a-" + w + "@two"});
        assertEquals("\rCreating snap: 0% complete...failed.\nrbd: failed to create snapshot: (17) File exists\n", again);
        same(c, w -> new String[] {"snap", "rm", pool + "/a-" + w + "@two"});
        same(c, w -> new String[] {"snap", "rollback", pool + "/a-" + w + "@one"});
        same(c, w -> new String[] {"snap", "rm", pool + "/a-" + w + "@one"});
        String cp = same(c, w -> new String[] {"cp", pool + "/a-" + w, pool + "/b-" + w});
        // copies count objects finished: 100% is shown before done.
        assertTrue(cp.endsWith("\rImage copy: 100% complete...\rImage copy: 100% complete...done.\n"), cp);
        same(c, w -> new String[] {"deep", "cp", pool + "/a-" + w, pool + "/c-" + w});
        same(c, w -> new String[] {"sparsify", pool + "/a-" + w});
        String rm = same(c, w -> new String[] {"rm", pool + "/a-" + w});
        assertEquals(11, rm.split("\r", -1).length, rm); // before each: 10%..90% (nine updates), then the last line
        assertEquals("", same(c, w -> new String[] {"rm", "--no-progress", pool + "/b-" + w}));
        same(c, w -> new String[] {"flatten", pool + "/ch-" + w});
        for (String w : List.of("s", "j")) {
            // both tools export, each tool's file is imported by the same tool
            String file = tmp.resolve("x-" + w).toString();
            same(c, x -> new String[] {"export", pool + "/p-" + w, file + x});
        }
        same(c, w -> new String[] {"import", tmp.resolve("x-s" + w).toString(), pool + "/i-" + w});
        same(c, w -> new String[] {"export", "--export-format", "2", pool + "/p-" + w, tmp.resolve("v2-" + w).toString()});
        same(c, w -> new String[] {"import", "--export-format", "2", tmp.resolve("v2-s").toString(), pool + "/i2-" + w});

        // the trash: one image removed by id, then a purge of two
        List<String> ids = new ArrayList<>();
        for (String w : List.of("s", "j")) {
            c.rbdOrThrow("trash", "mv", pool + "/ch-" + w);
            String ls = c.rbdOrThrow("trash", "ls", pool);
            ids.add(ls.lines().filter(l -> l.endsWith(" ch-" + w)).map(l -> l.split(" ")[0]).findFirst().orElseThrow());
        }
        same(c, w -> new String[] {"trash", "rm", pool + "/" + ids.get(w.equals("s") ? 0 : w.equals("j") ? 1 : 0)});
        c.rbdOrThrow("trash", "mv", pool + "/c-s");
        c.rbdOrThrow("trash", "mv", pool + "/i-s");
        CommandResult stockPurge = c.rbd("trash", "purge", pool);
        c.rbdOrThrow("trash", "mv", pool + "/c-j");
        c.rbdOrThrow("trash", "mv", pool + "/i-j");
        Result ourPurge = runRc(c, "trash", "purge", pool);
        assertEquals(stockPurge.toolStderr(), ourPurge.err());
        assertEquals("\rRemoving images: 50% complete...\rRemoving images: 100% complete..."
                + "\rRemoving images: 100% complete...done.\n", ourPurge.err());
        assertEquals("", c.rbdOrThrow("trash", "ls", pool));
        same(c, w -> new String[] {"trash", "purge", pool}); // nothing to purge: done. alone
    }
}
