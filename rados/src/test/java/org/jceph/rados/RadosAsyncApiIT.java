package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * The async forms of the IoCtx operations that used to be blocking only, cursor listing across
 * namespaces and slices, and the watch/notify additions, against a live cluster and the rados CLI.
 */
@RealCluster
class RadosAsyncApiIT extends LiveIoCtxIT {
    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void asyncFormsOfXattrOmapExecDataAndLocks() throws Exception {
        IoCtx a = io.duplicate();
        a.setNamespace("async");
        get(a.appendAsync("obj", b("hello ")));
        get(a.appendAsync("obj", b("world")));
        assertEquals("hello world", new String(a.read("obj", 0, 0), StandardCharsets.UTF_8));
        get(a.truncateAsync("obj", 5));
        assertEquals(5, a.stat("obj").size());
        get(a.setXattrAsync("obj", "owner", b("alice")));
        assertEquals("alice", c.radosOrThrow("-p", pool, "-N", "async", "getxattr", "obj", "owner").trim());
        assertArrayEquals(b("alice"), get(a.getXattrAsync("obj", "owner")));
        assertTrue(get(a.getXattrsAsync("obj")).containsKey("owner"));
        assertTrue(get(a.cmpXattrAsync("obj", "owner", IoCtx.Comparison.EQ, b("alice"))));
        assertFalse(get(a.cmpXattrAsync("obj", "owner", IoCtx.Comparison.EQ, b("bob"))));
        get(a.rmXattrAsync("obj", "owner"));
        java.util.concurrent.ExecutionException missing = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> get(a.getXattrAsync("obj", "owner")));
        assertTrue(missing.getCause() instanceof RadosException.NoDataException, String.valueOf(missing.getCause()));

        get(a.omapSetValsAsync("obj", Map.of("k1", b("v1"), "k2", b("v2"), "k3", b("v3"))));
        get(a.omapSetHeaderAsync("obj", b("hdr")));
        String shown = c.radosOrThrow("-p", pool, "-N", "async", "getomapval", "obj", "k2");
        assertTrue(shown.contains("(2 bytes)") && shown.contains("v2"), shown);
        assertEquals(Set.of("k1", "k2", "k3"), get(a.omapGetKeysAsync("obj", "", 10)));
        assertEquals(Set.of("k2", "k3"), get(a.omapGetValsAsync("obj", "k1", "", 10)).keySet());
        assertEquals(Set.of("k3"), get(a.omapGetValsByKeysAsync("obj", List.of("k3", "nope"))).keySet());
        assertArrayEquals(b("hdr"), get(a.omapGetHeaderAsync("obj")));
        get(a.omapRmKeysAsync("obj", List.of("k1")));
        assertEquals(Set.of("k2", "k3"), get(a.omapGetKeysAsync("obj", "", 10)));
        get(a.omapClearAsync("obj"));
        assertTrue(get(a.omapGetKeysAsync("obj", "", 10)).isEmpty());

        get(a.lockAsync("obj", "L", false, "me", "", "async test", 0));
        assertTrue(c.radosOrThrow("-p", pool, "-N", "async", "lock", "list", "obj").contains("\"L\""));
        assertEquals(Set.of("L"), get(a.listLocksAsync("obj")));
        assertEquals(1, get(a.getLockInfoAsync("obj", "L")).lockers().size());
        get(a.unlockAsync("obj", "L", "me"));
        assertTrue(get(a.getLockInfoAsync("obj", "L")).lockers().isEmpty());
        // exec: the lock class again, through execAsync directly
        assertTrue(get(a.execAsync("obj", "lock", "list_locks", new byte[0])).length > 0);

        get(a.createAsync("fresh", true));
        java.util.concurrent.ExecutionException exists = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> get(a.createAsync("fresh", true)));
        assertTrue(exists.getCause() instanceof RadosException.ObjectExistsException);
        assertEquals(a.version("fresh"), (long) get(a.versionAsync("fresh")));
        assertEquals(0, get(a.sparseReadAsync("fresh", 0, 100)).data().length);
    }

    @Test
    void asyncPoolAndSelfManagedSnapshots() throws Exception {
        get(io.snapCreateAsync("async-snap"));
        assertTrue(io.snapList().containsValue("async-snap"), "the future completes once our map has it");
        assertTrue(c.radosOrThrow("-p", pool, "lssnap").contains("async-snap"));
        get(io.snapRemoveAsync("async-snap"));
        assertFalse(io.snapList().containsValue("async-snap"));
        // a pool that had pool snapshots refuses self-managed ones (EINVAL): use a pool of its own
        client.createPool("async-selfmanaged", 8);
        IoCtx sm = client.ioCtx("async-selfmanaged");
        long id = get(sm.selfManagedSnapCreateAsync());
        assertTrue(id > 0);
        get(sm.selfManagedSnapRemoveAsync(id));
    }

    @Test
    void cursorListingAcrossNamespacesAndSlicesMatchesRadosLsAll() throws Exception {
        IoCtx l = io.duplicate();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            writes.add(l.writeFullAsync("cur-" + i, new byte[] {1}));
        }
        IoCtx ns = io.duplicate();
        ns.setNamespace("cur-ns");
        for (int i = 0; i < 25; i++) {
            writes.add(ns.writeFullAsync("in-ns-" + i, new byte[] {2}));
        }
        IoCtx keyed = io.duplicate();
        keyed.setLocatorKey("shared-key");
        writes.add(keyed.writeFullAsync("with-locator", new byte[] {3}));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Set<String> theirsAll = new TreeSet<>(c.radosOrThrow("-p", pool, "ls", "--all").lines().toList());

        // all namespaces, in 5 slices listed in parallel with small pages
        List<ObjectCursor.Range> slices = io.objectListSlice(io.objectListBegin(), io.objectListEnd(), 5);
        List<CompletableFuture<List<IoCtx.ListedObject>>> workers = new ArrayList<>();
        for (ObjectCursor.Range r : slices) {
            workers.add(CompletableFuture.supplyAsync(() -> pageThrough(io, IoCtx.ALL_NAMESPACES, r, 7)));
        }
        List<String> joined = new ArrayList<>();
        for (CompletableFuture<List<IoCtx.ListedObject>> w : workers) {
            w.get(120, TimeUnit.SECONDS).forEach(o -> joined.add(asRadosLsAll(o)));
        }
        assertEquals(theirsAll.size(), joined.size(), "each object in exactly one slice");
        assertEquals(theirsAll, new TreeSet<>(joined));

        // one namespace, through the lazy stream and through the list
        Set<String> theirsNs = new TreeSet<>(c.radosOrThrow("-p", pool, "-N", "cur-ns", "ls").lines().toList());
        assertEquals(theirsNs, ns.objects("cur-ns").map(IoCtx.ListedObject::oid).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(25, theirsNs.size());
        assertEquals(theirsNs, get(ns.listObjectsAsync("cur-ns")).stream().map(IoCtx.ListedObject::oid)
                .collect(Collectors.toCollection(TreeSet::new)));

        // a slice of a slice, in the default namespace, with one-entry pages
        List<ObjectCursor.Range> quarters = io.objectListSlice(slices.get(2).start(), slices.get(2).end(), 3);
        List<String> sub = new ArrayList<>();
        for (ObjectCursor.Range q : quarters) {
            pageThrough(io, "", q, 1).forEach(o -> sub.add(o.oid()));
        }
        List<String> whole = pageThrough(io, "", slices.get(2), 1000).stream().map(IoCtx.ListedObject::oid).toList();
        assertEquals(whole, sub, "the sub-slices, joined in order, list the slice in the same order");
    }

    @Test
    void cursorListingOfAPoolWhosePgCountIsNoPowerOfTwo() throws Exception {
        // pg_num 12: seeds 8..15 fold onto 0..7 (ceph_stable_mod), so pg ranges in the hash order differ in size
        client.createPool("cursor-pg12", 12);
        IoCtx p = client.ioCtx("cursor-pg12");
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            writes.add(p.writeFullAsync("pg12-" + i, new byte[] {1}));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Set<String> theirs = new TreeSet<>(c.radosOrThrow("-p", "cursor-pg12", "ls").lines().toList());
        assertEquals(80, theirs.size());
        for (int parts : new int[] {1, 3, 7, 16}) {
            List<String> joined = new ArrayList<>();
            for (ObjectCursor.Range r : p.objectListSlice(p.objectListBegin(), p.objectListEnd(), parts)) {
                pageThrough(p, "", r, 5).forEach(o -> joined.add(o.oid()));
            }
            assertEquals(80, joined.size(), parts + " slices: each object once");
            assertEquals(theirs, new TreeSet<>(joined), parts + " slices");
        }
    }

    private static List<IoCtx.ListedObject> pageThrough(IoCtx io, String ns, ObjectCursor.Range r, int page) {
        List<IoCtx.ListedObject> out = new ArrayList<>();
        ObjectCursor at = r.start();
        for (int i = 0; i < 100_000; i++) {
            IoCtx.ObjectPage p = io.listObjectsPage(ns, at, r.end(), page);
            assertTrue(p.objects().size() <= page);
            out.addAll(p.objects());
            if (p.done()) {
                assertEquals(r.end(), p.next());
                return out;
            }
            assertTrue(at.compareTo(p.next()) < 0, "the cursor advances");
            at = p.next();
        }
        throw new AssertionError("listing did not end");
    }

    /** rados ls --all: namespace, tab, name, and a tab and the locator when there is one. */
    private static String asRadosLsAll(IoCtx.ListedObject o) {
        return o.namespace() + "\t" + o.oid() + (o.locator().isEmpty() ? "" : "\t" + o.locator());
    }

    @Test
    void watchCheckListenerFailuresAndWatcherIds() throws Exception {
        io.writeFull("w", new byte[0]);
        long before = client.metrics().getWatchListenerErrors();
        long good = get(io.watchAsync("w", (id, gid, payload) -> b("fine")));
        long bad = get(io.watchAsync("w", (id, gid, payload) -> {
            throw new IllegalStateException("listener bug");
        }));
        Duration since = io.watchCheck(good);
        assertTrue(since.compareTo(Duration.ofSeconds(15)) < 0, since.toString());
        assertEquals(Set.of(good, bad), get(io.listWatchersAsync("w")).stream().map(IoCtx.Watcher::cookie)
                .collect(Collectors.toSet()));

        IoCtx.NotifyResult r = get(io.notifyAsync("w", b("ping"), 10));
        assertEquals(Set.of(new IoCtx.WatcherId(client.instanceId(), good), new IoCtx.WatcherId(client.instanceId(), bad)),
                r.replies().keySet());
        assertArrayEquals(b("fine"), r.replies().get(new IoCtx.WatcherId(client.instanceId(), good)));
        assertEquals(0, r.replies().get(new IoCtx.WatcherId(client.instanceId(), bad)).length,
                "a throwing listener acks with an empty reply");
        assertEquals(List.of(), r.timedOut());
        assertEquals(before + 1, client.metrics().getWatchListenerErrors(), "the listener's exception is counted");

        get(io.unwatchAsync("w", bad));
        RadosException.WatchBrokenException gone = assertThrows(RadosException.WatchBrokenException.class,
                () -> io.watchCheck(bad));
        assertEquals(-107, gone.errno());
        io.unwatch("w", good);
        assertTrue(io.listWatchers("w").isEmpty());
    }
}
