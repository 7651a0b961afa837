package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.rados.IoCtx;
import org.junit.jupiter.api.Test;

/**
 * Groups and group snapshots through the API, against the stock rbd tool on the live cluster:
 * what one side creates, the other lists, snapshots, rolls back and removes.
 */
class GroupsIT extends LiveRbdTest {

    private static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private String idOf(String image) {
        return c.rbdOrThrow("info", pool + "/" + image).lines().filter(l -> l.startsWith("\tid: "))
                .map(l -> l.substring(5)).findFirst().orElseThrow();
    }

    /**
     * The stock tool's group snapshot listing: Pacific's (and Reef's, the same table) exactly; from
     * Squid on the tool prints another table (ID, NAME, STATE "complete"), so only the snapshot's
     * name and state are checked there.
     */
    private void assertGroupSnapList(String pacific, String snap, String stock) {
        if (c.release().equals("pacific") || c.release().equals("reef")) {
            assertEquals(pacific, stock);
        } else {
            assertTrue(stock.lines().anyMatch(l -> l.matches("\\S+\\s+" + snap + "\\s+complete\\s*")), stock);
        }
    }

    @Test
    void ourGroupSnapshotTakesTheCachedWritesOfAnOpenImageAndStockRbdRollsItBack() throws Exception {
        IoCtx io = io();
        // default features: exclusive-lock, so the group snapshot's lock request makes our open handle flush
        c.rbdOrThrow("create", "--size", "8M", pool + "/api-a");
        c.rbdOrThrow("create", "--size", "8M", "--image-feature", "layering", pool + "/api-b");
        Groups.create(io, "api-g");
        Groups.imageAdd(io, "api-g", io, "api-a");
        Groups.imageAdd(io, "api-g", io, "api-b");

        List<Groups.Member> members = Groups.imageList(io, "api-g");
        assertEquals(List.of("api-a", "api-b"), members.stream().map(Groups.Member::imageName).sorted().toList());
        assertTrue(members.stream().allMatch(Groups.Member::attached), members.toString());
        assertEquals(new Groups.ImageGroup(io.poolId(), pool, "api-g"), Groups.imageGroup(io, idOf("api-a")));
        assertTrue(c.rbdOrThrow("info", pool + "/api-b").contains("\tgroup: " + pool + "/api-g\n"));
        assertEquals(pool + "/api-a \n" + pool + "/api-b \n", c.rbdOrThrow("group", "image", "list", pool + "/api-g"));

        byte[] x = pattern(1, 1 << 20);
        byte[] y = pattern(2, 1 << 20);
        try (RbdImage a = RbdImage.open(io, "api-a", false)) {
            a.write(4096, x); // in the writeback cache only
            Groups.snapCreate(io, "api-g", "s1");
            a.write(4096, y);
        }
        assertGroupSnapList("NAME  STATUS\ns1        ok\n", "s1", c.rbdOrThrow("group", "snap", "list", pool + "/api-g"));
        Groups.GroupSnap s1 = Groups.snapshots(io, "api-g").get(0);
        assertTrue(s1.complete());
        assertEquals(2, s1.snaps().size());
        String all = c.rbdOrThrow("snap", "ls", "--all", pool + "/api-a");
        assertTrue(all.contains("group (" + pool + "/api-g@s1)"), all);
        assertEquals("", c.rbdOrThrow("snap", "ls", pool + "/api-a"), "group snapshots are not user snapshots");

        c.rbdOrThrow("group", "snap", "rollback", "--no-progress", pool + "/api-g@s1");
        byte[] back = export("api-a");
        assertArrayEquals(x, Arrays.copyOfRange(back, 4096, 4096 + x.length), "the snapshot has the cached writes");

        // an image in a group is not removed (EMLINK), neither by us nor by librbd (once it has no snapshots)
        Groups.snapRemove(io, "api-g", "s1");
        Groups.ImageInGroupException refused = assertThrows(Groups.ImageInGroupException.class,
                () -> RbdImage.remove(io, "api-b"));
        assertEquals(pool + "/api-g", refused.group());
        CommandResult stockRm = c.rbd("rm", "--no-progress", pool + "/api-b");
        assertEquals(31, stockRm.exitCode(), stockRm.toolStderr());

        assertEquals("", c.rbdOrThrow("snap", "ls", "--all", pool + "/api-a"), "the member snapshots went with the group snapshot");
        assertThrows(Groups.GroupExistsException.class, () -> Groups.create(io, "api-g"));
        c.rbdOrThrow("group", "rm", pool + "/api-g");
        assertFalse(Groups.list(io).contains("api-g"));
        assertNull(Groups.imageGroup(io, idOf("api-a")), "stock group rm unlinked the members");
        RbdImage.remove(io, "api-a");
        RbdImage.remove(io, "api-b");
    }

    @Test
    void stockGroupsAreListedRolledBackAndRemovedByUs() throws Exception {
        IoCtx io = io();
        byte[] orig = pattern(3, 2 << 20);
        java.nio.file.Path f = tmp.resolve("orig");
        java.nio.file.Files.write(f, orig);
        c.rbdOrThrow("import", "--no-progress", f.toString(), pool + "/st-a");
        c.rbdOrThrow("import", "--no-progress", "--image-feature", "layering", f.toString(), pool + "/st-b");
        c.rbdOrThrow("group", "create", pool + "/st-g");
        c.rbdOrThrow("group", "image", "add", pool + "/st-g", pool + "/st-a");
        c.rbdOrThrow("group", "image", "add", pool + "/st-g", pool + "/st-b");
        c.rbdOrThrow("group", "snap", "create", pool + "/st-g@before");
        assertTrue(Groups.list(io).contains("st-g"));
        Groups.GroupSnap before = Groups.snapshots(io, "st-g").get(0);
        assertEquals("before", before.name());
        assertTrue(before.complete());
        String ids = c.rbdOrThrow("snap", "ls", "--all", "--format", "json", pool + "/st-a");
        assertTrue(before.snaps().stream().anyMatch(s -> ids.contains("\"id\":" + s.snapId() + ",")), ids);

        try (RbdImage a = RbdImage.open(io, "st-a", false); RbdImage b = RbdImage.open(io, "st-b", false)) {
            a.write(0, pattern(4, 1 << 20));
            b.write(1 << 20, pattern(5, 1 << 20));
            b.flush(); // b has no exclusive lock to make it flush for the rollback's handles
        }
        Groups.snapRollback(io, "st-g", "before", null);
        assertArrayEquals(orig, export("st-a"));
        assertArrayEquals(orig, export("st-b"));

        Groups.snapRename(io, "st-g", "before", "renamed");
        assertThrows(Groups.GroupExistsException.class, () -> Groups.snapRename(io, "st-g", "renamed", "renamed"));
        assertThrows(RbdException.NoSuchKeyException.class, () -> Groups.snapRemove(io, "st-g", "before"));
        assertGroupSnapList("NAME     STATUS\nrenamed      ok\n", "renamed", c.rbdOrThrow("group", "snap", "ls", pool + "/st-g"));
        Groups.rename(io, "st-g", "st-h");
        assertTrue(c.rbdOrThrow("group", "ls", pool).lines().anyMatch("st-h"::equals));

        Groups.imageRemove(io, "st-h", io, "st-b");
        assertEquals(pool + "/st-a \n", c.rbdOrThrow("group", "image", "ls", pool + "/st-h"));
        Groups.remove(io, "st-h"); // its snapshot (and st-a's member snapshot) first
        assertEquals("", c.rbdOrThrow("group", "ls", pool).lines().filter(l -> l.startsWith("st-")).reduce("", String::concat));
        assertEquals("", c.rbdOrThrow("snap", "ls", "--all", pool + "/st-a"));
        // st-b left the group but was still in the snapshot's record: its member snapshot went too, as in librbd
        assertEquals("", c.rbdOrThrow("snap", "ls", "--all", pool + "/st-b"));
        c.rbdOrThrow("rm", "--no-progress", pool + "/st-a");
        c.rbdOrThrow("rm", "--no-progress", pool + "/st-b");
        assertTrue(c.radosOrThrow("-p", pool, "ls").lines().noneMatch(o -> o.startsWith("rbd_group_header.")));
    }

    @Test
    void aTakenSnapshotNameLeavesNoHalfSnapshot() {
        IoCtx io = io();
        c.rbdOrThrow("create", "--size", "4M", pool + "/dup-a");
        Groups.create(io, "dup-g");
        Groups.imageAdd(io, "dup-g", io, "dup-a");
        Groups.snapCreate(io, "dup-g", "s");
        assertThrows(Groups.GroupExistsException.class, () -> Groups.snapCreate(io, "dup-g", "s"));
        assertEquals(1, Groups.snapshots(io, "dup-g").size());
        assertEquals(2, c.rbdOrThrow("snap", "ls", "--all", pool + "/dup-a").lines().count(), "header and one snapshot");
        assertThrows(Groups.GroupNotFoundException.class, () -> Groups.snapCreate(io, "nope", "s"));
        assertThrows(RbdException.ImageNotFoundException.class, () -> Groups.imageAdd(io, "dup-g", io, "nope"));
        Groups.remove(io, "dup-g");
        Groups.remove(io, "dup-g"); // a missing group is not an error, as in librbd
        RbdImage.remove(io, "dup-a");
    }
}
