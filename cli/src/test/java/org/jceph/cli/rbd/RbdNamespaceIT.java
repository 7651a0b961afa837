package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * RBD namespaces against the stock tool both ways: {@code rbd namespace create/ls/rm}, images,
 * clones, copies, trash and groups addressed as POOL/NAMESPACE/NAME or with --namespace, and
 * the refusals with the tool's words and exit statuses.
 */
@RealCluster
class RbdNamespaceIT {
    private static final String POOL = "rbdns";

    /** The stock tool with librbd's log kept off stderr, so its own messages can be compared. */
    private static CommandResult stock(CephCluster c, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--log_to_stderr=false");
        all.add("--err_to_stderr=false");
        return c.rbd(all.toArray(String[]::new));
    }

    private static void same(CephCluster c, String... args) {
        CommandResult theirs = stock(c, args);
        Result ours = runRc(c, args);
        String what = String.join(" ", args);
        assertEquals(theirs.exitCode(), ours.rc(), what);
        assertEquals(theirs.stdout(), new String(ours.bytes(), java.nio.charset.StandardCharsets.UTF_8), what);
        assertEquals(theirs.toolStderr(), ours.err(), what);
    }

    @Test
    void namespacesImagesAndRefusalsAsTheStockTool(CephCluster c) {
        c.cephOrThrow("osd", "pool", "create", POOL, "8");
        c.rbdOrThrow("pool", "init", POOL);
        same(c, "namespace", "ls", POOL); // none yet: nothing printed
        run(c, "namespace", "create", POOL + "/ours");
        c.rbdOrThrow("namespace", "create", "--pool", POOL, "--namespace", "theirs");
        for (String format : List.of("plain", "json", "xml")) {
            same(c, "namespace", "ls", POOL, "--format", format);
        }
        assertEquals("NAME  \nours  \ntheirs\n", run(c, "namespace", "ls", POOL));
        // each namespace holds what the release's librbd makes there (from Reef on, an empty trash too)
        List<String> objects = c.radosOrThrow("-p", POOL, "ls", "--all").lines().toList();
        assertEquals(objects.stream().filter(l -> l.startsWith("theirs\t")).map(l -> l.substring(7)).sorted().toList(),
                objects.stream().filter(l -> l.startsWith("ours\t")).map(l -> l.substring(5)).sorted().toList());
        // both directories are what librbd made: READY, so each tool uses the other's
        run(c, "create", "--size", "8M", POOL + "/theirs/a");
        c.rbdOrThrow("create", "--size", "8M", POOL + "/ours/b");
        assertEquals("a\n", c.rbdOrThrow("ls", POOL + "/theirs"));
        assertEquals("b\n", run(c, "ls", "--pool", POOL, "--namespace", "ours"));
        assertEquals("", c.rbdOrThrow("ls", POOL)); // the default namespace holds neither
        same(c, "info", POOL + "/ours/b", "--format", "json");
        c.rbdOrThrow("bench", "--io-type", "write", "--io-total", "4M", "--io-size", "1M", POOL + "/ours/b");

        // refusals, word for word: a missing namespace, one with images, an existing one, no name
        same(c, "create", "--size", "1M", POOL + "/nowhere/x");
        same(c, "ls", POOL + "/nowhere");
        same(c, "namespace", "rm", POOL + "/ours");
        same(c, "namespace", "create", POOL + "/theirs");
        same(c, "namespace", "create", POOL);
        same(c, "namespace", "rm", "--pool", POOL, "--namespace", "nowhere");

        // copies across namespaces; a v1 clone across them is refused as librbd refuses it
        run(c, "snap", "create", POOL + "/ours/b@s");
        run(c, "snap", "protect", POOL + "/ours/b@s");
        same(c, "clone", "--rbd-default-clone-format", "1", POOL + "/ours/b@s", POOL + "/theirs/v1");
        run(c, "clone", "--rbd-default-clone-format", "2", POOL + "/ours/b@s", POOL + "/theirs/kid");
        assertTrue(c.rbdOrThrow("info", POOL + "/theirs/kid").contains("\tparent: " + POOL + "/ours/b@s\n"));
        assertEquals(POOL + "/theirs/kid\n", c.rbdOrThrow("children", POOL + "/ours/b@s"));
        same(c, "children", POOL + "/ours/b@s");
        run(c, "deep", "cp", "--no-progress", POOL + "/theirs/kid", POOL + "/ours/deep");
        assertTrue(c.rbdOrThrow("info", POOL + "/ours/deep").contains("\tparent: " + POOL + "/ours/b@s\n"));
        run(c, "cp", "--no-progress", POOL + "/ours/b", POOL + "/flat", "--dest-namespace", "theirs");
        String want = c.rbdOrThrow("export", "--no-progress", POOL + "/ours/b", "-");
        assertEquals(want, c.rbdOrThrow("export", "--no-progress", POOL + "/theirs/flat", "-"));
        assertEquals(want, c.rbdOrThrow("export", "--no-progress", POOL + "/ours/deep", "-"));

        // trash and groups live per namespace
        run(c, "trash", "mv", POOL + "/theirs/flat");
        same(c, "trash", "ls", POOL + "/theirs");
        assertEquals("", c.rbdOrThrow("trash", "ls", POOL));
        run(c, "group", "create", POOL + "/ours/g");
        run(c, "group", "image", "add", POOL + "/ours/g", POOL + "/ours/deep");
        same(c, "group", "ls", POOL + "/ours");
        same(c, "group", "image", "ls", POOL + "/ours/g");
        c.rbdOrThrow("group", "snap", "create", POOL + "/ours/g@gs");
        same(c, "group", "snap", "ls", POOL + "/ours/g");

        // removal: the stock tool empties theirs, we remove it; we empty ours, the tool removes it
        c.rbdOrThrow("rm", "--no-progress", POOL + "/theirs/kid");
        c.rbdOrThrow("rm", "--no-progress", POOL + "/theirs/a");
        same(c, "namespace", "rm", POOL + "/theirs"); // the trashed copy still holds it
        c.rbdOrThrow("trash", "purge", "--no-progress", POOL + "/theirs");
        run(c, "namespace", "rm", POOL + "/theirs");
        run(c, "group", "rm", POOL + "/ours/g");
        run(c, "rm", "--no-progress", POOL + "/ours/deep");
        run(c, "snap", "unprotect", POOL + "/ours/b@s");
        run(c, "snap", "purge", "--no-progress", POOL + "/ours/b");
        run(c, "rm", "--no-progress", POOL + "/ours/b");
        c.rbdOrThrow("namespace", "rm", POOL + "/ours");
        assertEquals("", run(c, "namespace", "ls", POOL));
        // from Reef on, the stock tool's pool init also made the (empty) trash of the default namespace
        String trash = CephCluster.PACIFIC.equals(c.release()) ? "" : "rbd_trash\n";
        assertEquals("rbd_info\nrbd_namespace\n" + trash, sorted(c.radosOrThrow("-p", POOL, "ls", "--all")));
    }

    private static String sorted(String lines) {
        List<String> l = new ArrayList<>(List.of(lines.strip().split("\n")));
        l.replaceAll(String::strip);
        l.sort(null);
        return String.join("\n", l) + "\n";
    }
}
