package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * {@code rbd children [--descendants]} over a family of clones (v1 and v2, three generations,
 * one made by each tool), and {@code rbd snap rm --snap-id}, compared with the stock tool.
 */
@RealCluster
class RbdChildrenIT {
    private static String ownPool(CephCluster c) {
        String pool = "rbdx-children";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    @Test
    void childrenAndDescendantsAreTheStockTools(CephCluster c) {
        String pool = ownPool(c);
        String p = pool + "/";
        c.rbdOrThrow("create", "--size", "4M", p + "g0");
        c.rbdOrThrow("snap", "create", "--no-progress", p + "g0@a");
        c.rbdOrThrow("snap", "create", "--no-progress", p + "g0@b");
        c.rbdOrThrow("snap", "protect", p + "g0@a");
        c.rbdOrThrow("clone", "--rbd-default-clone-format", "1", p + "g0@a", p + "g1-v1");
        run(c, "clone", "--rbd-default-clone-format", "2", p + "g0@b", p + "g1-v2");
        c.rbdOrThrow("snap", "create", "--no-progress", p + "g1-v1@x");
        c.rbdOrThrow("clone", "--rbd-default-clone-format", "2", p + "g1-v1@x", p + "g2");
        run(c, "snap", "create", p + "g2@y");
        run(c, "clone", "--rbd-default-clone-format", "2", p + "g2@y", p + "g3");
        c.rbdOrThrow("clone", "--rbd-default-clone-format", "2", p + "g1-v1@x", p + "g2b");

        for (List<String> form : List.of(List.<String>of(), List.of("--descendants"), List.of("--format", "json"),
                List.of("--descendants", "--format", "json", "--pretty-format"))) {
            for (String target : List.of(p + "g0@a", p + "g0@b", p + "g0", p + "g1-v1", p + "g3")) {
                String[] args = new String[form.size() + 2];
                args[0] = "children";
                for (int i = 0; i < form.size(); i++) {
                    args[i + 1] = form.get(i);
                }
                args[args.length - 1] = target;
                assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
            }
        }
        String all = run(c, "children", "--descendants", p + "g0");
        assertEquals(List.of(p + "g1-v1", p + "g1-v2", p + "g2", p + "g2b", p + "g3"), all.lines().toList());

        CommandResult stockMissing = c.rbd("children", p + "g0@nope");
        Result ourMissing = runRc(c, "children", p + "g0@nope");
        assertEquals(stockMissing.exitCode(), ourMissing.rc());
        assertEquals(stockMissing.toolStderr(), ourMissing.err());
    }

    @Test
    void snapshotsAreRemovedByIdEitherWay(CephCluster c) {
        String pool = c.testPool();
        String img = pool + "/byid";
        c.rbdOrThrow("create", "--size", "4M", img);
        c.rbdOrThrow("snap", "create", "--no-progress", img + "@stock");
        run(c, "snap", "create", img + "@ours");
        String ls = c.rbdOrThrow("snap", "ls", img);
        String stockId = ls.lines().filter(l -> l.contains(" stock ")).map(l -> l.trim().split("\\s+")[0]).findFirst()
                .orElseThrow();
        String ourId = ls.lines().filter(l -> l.contains(" ours ")).map(l -> l.trim().split("\\s+")[0]).findFirst()
                .orElseThrow();
        Result r = runRc(c, "snap", "rm", "--snap-id", stockId, img);
        assertEquals(0, r.rc(), r.err());
        CommandResult s = c.rbd("snap", "rm", "--snap-id", ourId, img);
        assertEquals(0, s.exitCode(), s.stderr());
        assertEquals(s.toolStderr(), r.err(), "no progress line by id, from either tool");
        assertEquals("", c.rbdOrThrow("snap", "ls", img));
        assertFalse(run(c, "snap", "ls", img).contains("ours"));

        CommandResult stockMissing = c.rbd("snap", "rm", "--snap-id", "9999", img);
        Result ourMissing = runRc(c, "snap", "rm", "--snap-id", "9999", img);
        assertEquals(stockMissing.exitCode(), ourMissing.rc());
        assertEquals(stockMissing.toolStderr(), ourMissing.err());
        assertTrue(ourMissing.err().startsWith("rbd: failed to remove snapshot: (2)"), ourMissing.err());
        c.rbdOrThrow("rm", "--no-progress", img);
    }
}
