package org.jceph.rados;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jceph.encoding.CephDecoder;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;

/** Object I/O in one pool, as librados' IoCtx: each call sync, or async with an {@code Async} suffix. */
public final class IoCtx {
    private final RadosClient client;
    private final long poolId;
    private final String poolName;
    private volatile SnapContext writeSnapContext = SnapContext.EMPTY;
    private volatile long readSnap = OsdOpMessages.NOSNAP;
    private volatile String namespace = "";
    private volatile String locatorKey = "";
    private volatile Duration opTimeout;

    /** librados' LIBRADOS_ALL_NSPACES: list every namespace. */
    public static final String ALL_NAMESPACES = "\u0001";

    IoCtx(RadosClient client, long poolId, String poolName) {
        this.client = client;
        this.poolId = poolId;
        this.poolName = poolName;
    }

    public long poolId() {
        return poolId;
    }

    /** The client this context belongs to (its instance id, monitor commands). */
    public RadosClient client() {
        return client;
    }

    /** A new IoCtx on the same pool and namespace, with its own snapshot settings. */
    public IoCtx duplicate() {
        IoCtx copy = new IoCtx(client, poolId, poolName);
        copy.namespace = namespace;
        copy.locatorKey = locatorKey;
        return copy;
    }

    public String poolName() {
        return poolName;
    }

    /** Objects are named within this namespace from now on ("" is the default namespace). */
    public void setNamespace(String ns) {
        if (ns.equals(ALL_NAMESPACES)) {
            throw new IllegalArgumentException("ALL_NAMESPACES is for listing only: use listObjects(ALL_NAMESPACES)");
        }
        this.namespace = ns;
    }

    public String namespace() {
        return namespace;
    }

    /** Objects are placed by this key instead of their name ("" = by name), as librados' locator_set_key. */
    public void setLocatorKey(String key) {
        this.locatorKey = key;
    }

    public String locatorKey() {
        return locatorKey;
    }

    /**
     * The snapshot context sent with every write (librados' selfmanaged_snap_set_write_ctx): the
     * newest snap id and the existing snaps, newest first. OSDs clone an object before the first
     * write after a snapshot it has not seen.
     */
    public void setSelfManagedSnapWriteContext(SnapContext snapContext) {
        if (!snapContext.isValid()) {
            throw new IllegalArgumentException("invalid snap context " + snapContext);
        }
        this.writeSnapContext = snapContext;
    }

    /** Reads go to this snapshot ({@code -2 = CEPH_NOSNAP}, the head, by default). */
    public void setReadSnap(long snapId) {
        this.readSnap = snapId;
    }

    /**
     * The whole-operation timeout of this context's ops (default: the client's
     * rados_osd_op_timeout). It runs from submission, across waits for budget, maps, unpause or
     * an OSD's backoff, and every resend; when it ends the op fails with
     * {@link RadosException.TimeoutException} and leaves the queue.
     */
    public void setOpTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("op timeout must be positive: " + timeout);
        }
        this.opTimeout = timeout;
    }

    public Duration opTimeout() {
        return opTimeout == null ? client.opTimeout() : opTimeout;
    }

    private <T> T await(CompletableFuture<T> f) {
        return client.await(f, opTimeout());
    }

    /** Size and modification time of an object. */
    public record ObjectStat(long size, UTime mtime) {
    }

    private CompletableFuture<OsdOpMessages.Reply> run(String oid, OsdOp op) {
        return run(oid, op, opTimeout);
    }

    /** As {@link #run(String, OsdOp)} with its own timeout (null: the client's). */
    private CompletableFuture<OsdOpMessages.Reply> run(String oid, OsdOp op, java.time.Duration timeout) {
        return client.submit(poolId, namespace, locatorKey, oid, List.of(op), op.writes() ? OsdOpMessages.NOSNAP : readSnap,
                writeSnapContext, timeout).thenApply(r -> {
            if (r.result() < 0) {
                throw RadosException.of(r.result(), poolName + "/" + oid);
            }
            return r;
        });
    }

    public CompletableFuture<Void> writeFullAsync(String oid, byte[] data) {
        return run(oid, OsdOp.writeFull(data)).thenApply(r -> null);
    }

    public void writeFull(String oid, byte[] data) {
        await(writeFullAsync(oid, data));
    }

    public CompletableFuture<Void> writeAsync(String oid, long offset, byte[] data) {
        return run(oid, OsdOp.write(offset, data)).thenApply(r -> null);
    }

    public void write(String oid, long offset, byte[] data) {
        await(writeAsync(oid, offset, data));
    }

    public CompletableFuture<byte[]> readAsync(String oid, long offset, int length) {
        return run(oid, OsdOp.read(offset, length)).thenApply(r -> r.outputs().get(0));
    }

    public byte[] read(String oid, long offset, int length) {
        return await(readAsync(oid, offset, length));
    }

    /**
     * Updates a tmap object (the pre-omap key/value format kept in the object's data) with
     * {@code commands}: each is {@code u8 op} ('s' set, 'c' create, 'r' remove, 'R' remove if
     * present, 'h' header), {@code string key}, and for set/create/header a {@code blob value}.
     */
    public void tmapUpdate(String oid, byte[] commands) {
        await(run(oid, OsdOp.tmapUpdate(commands)).thenApply(r -> null));
    }

    public CompletableFuture<ObjectStat> statAsync(String oid) {
        return run(oid, OsdOp.stat()).thenApply(r -> {
            ByteBuffer b = ByteBuffer.wrap(r.outputs().get(0)).order(ByteOrder.LITTLE_ENDIAN);
            long size = b.getLong();
            long sec = Integer.toUnsignedLong(b.getInt());
            long nsec = Integer.toUnsignedLong(b.getInt());
            return new ObjectStat(size, new UTime(sec, nsec));
        });
    }

    public ObjectStat stat(String oid) {
        return await(statAsync(oid));
    }

    public CompletableFuture<Void> removeAsync(String oid) {
        return run(oid, OsdOp.delete()).thenApply(r -> null);
    }

    public void remove(String oid) {
        await(removeAsync(oid));
    }
    public void append(String oid, byte[] data) {
        await(run(oid, OsdOp.append(data)));
    }

    public void truncate(String oid, long size) {
        await(run(oid, OsdOp.truncate(size)));
    }

    public void zero(String oid, long offset, long length) {
        await(zeroAsync(oid, offset, length));
    }

    public CompletableFuture<Void> zeroAsync(String oid, long offset, long length) {
        return run(oid, OsdOp.zero(offset, length)).thenApply(r -> null);
    }

    /** The object's stat, or null when it does not exist. */
    public ObjectStat statOrNull(String oid) {
        try {
            return stat(oid);
        } catch (RadosException.ObjectNotFoundException e) {
            return null;
        }
    }

    /** Creates an empty object; with {@code exclusive}, an existing one is an {@link RadosException.ObjectExistsException}. */
    public void create(String oid, boolean exclusive) {
        await(run(oid, OsdOp.create(exclusive)));
    }

    // ---- xattrs -----------------------------------------------------------------------------

    public byte[] getXattr(String oid, String name) {
        return await(run(oid, OsdOp.getXattr(name))).outputs().get(0);
    }

    public void setXattr(String oid, String name, byte[] value) {
        await(run(oid, OsdOp.setXattr(name, value)));
    }

    public void rmXattr(String oid, String name) {
        await(run(oid, OsdOp.rmXattr(name)));
    }

    /** Every xattr of the object, by name. */
    public SortedMap<String, byte[]> getXattrs(String oid) {
        byte[] out = await(run(oid, OsdOp.getXattrs())).outputs().get(0);
        return new TreeMap<>(CephDecoder.of(out, "xattrs").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
    }

    /**
     * Compares an xattr as librados' cmpxattr does ({@code op}: 1 EQ, 2 NE, 3 GT, 4 GTE, 5 LT, 6 LTE;
     * string comparison): true when the comparison holds, false when the OSD says ECANCELED.
     */
    public boolean cmpXattr(String oid, String name, int op, byte[] value) {
        try {
            await(run(oid, OsdOp.cmpXattr(name, op, 1, value)));
            return true;
        } catch (RadosException e) {
            if (e.errno() == -125) {
                return false;
            }
            throw e;
        }
    }

    // ---- omap -------------------------------------------------------------------------------

    /** Up to {@code max} omap keys after {@code startAfter} (empty: from the first). */
    public SortedSet<String> omapGetKeys(String oid, String startAfter, long max) {
        byte[] out = await(run(oid, OsdOp.omapGetKeys(startAfter, max))).outputs().get(0);
        return new TreeSet<>(CephDecoder.of(out, "omap keys").readSet(4, CephDecoder::readString));
    }

    /** Up to {@code max} omap entries after {@code startAfter} whose keys start with {@code prefix}. */
    public SortedMap<String, byte[]> omapGetVals(String oid, String startAfter, String prefix, long max) {
        byte[] out = await(run(oid, OsdOp.omapGetVals(startAfter, prefix, max))).outputs().get(0);
        return new TreeMap<>(CephDecoder.of(out, "omap values").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
    }

    public SortedMap<String, byte[]> omapGetValsByKeys(String oid, Collection<String> keys) {
        byte[] out = await(run(oid, OsdOp.omapGetValsByKeys(new TreeSet<>(keys)))).outputs().get(0);
        return new TreeMap<>(CephDecoder.of(out, "omap values").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
    }

    public byte[] omapGetHeader(String oid) {
        return await(run(oid, OsdOp.omapGetHeader())).outputs().get(0);
    }

    public void omapSetVals(String oid, Map<String, byte[]> values) {
        await(run(oid, OsdOp.omapSetVals(new TreeMap<>(values))));
    }

    public void omapSetHeader(String oid, byte[] header) {
        await(run(oid, OsdOp.omapSetHeader(header)));
    }

    public void omapRmKeys(String oid, Collection<String> keys) {
        await(run(oid, OsdOp.omapRmKeys(keys)));
    }

    public void omapClear(String oid) {
        await(run(oid, OsdOp.omapClear()));
    }

    // ---- object classes -----------------------------------------------------------------------

    /** Runs method {@code method} of object class {@code cls} on the object; returns its output. */
    public byte[] exec(String oid, String cls, String method, byte[] input) {
        return await(run(oid, OsdOp.call(cls, method, input))).outputs().get(0);
    }

    // ---- listing ------------------------------------------------------------------------------

    /** One listed object: its namespace, name and locator key. */
    public record ListedObject(String namespace, String oid, String locator) {
    }

    /** Every object of the current namespace, pg by pg (PGNLS), {@code pageSize} per request. */
    public List<ListedObject> listObjects() {
        return listObjects(namespace);
    }

    /** Every object of namespace {@code ns}, or of all namespaces with {@link #ALL_NAMESPACES}. */
    public List<ListedObject> listObjects(String ns) {
        List<ListedObject> out = new java.util.ArrayList<>();
        long pgNum = client.osdMap().pool(poolId).pgNum();
        // pgs in the order of their hobject ranges (bit-reversed hash), as librados walks them: the
        // objects then come in the same order as rados ls prints them
        List<Long> seeds = java.util.stream.LongStream.range(0, pgNum).boxed()
                .sorted((a, b) -> Integer.compareUnsigned(Integer.reverse(a.intValue()), Integer.reverse(b.intValue())))
                .toList();
        for (long ps : seeds) {
            byte[] cursor = emptyCursor();
            for (int page = 0; page < 1_000_000; page++) {
                OsdOpMessages.Reply r = await(client.submitToPg(poolId, ns, ps,
                        List.of(OsdOp.pgnls(1024, client.osdMap().epoch(), cursor))));
                if (r.result() < 0) {
                    throw RadosException.of(r.result(), poolName + " pg " + poolId + "." + Long.toHexString(ps));
                }
                CephDecoder d = CephDecoder.of(r.outputs().get(0), "pg_nls_response_t");
                CephDecoder.Envelope env = d.beginStruct("pg_nls_response_t", 1);
                org.jceph.encoding.types.HObject handle = org.jceph.encoding.types.HObject.decode(d);
                int n = d.readCountLe("entries", 12);
                for (int i = 0; i < n; i++) {
                    out.add(new ListedObject(d.readString(), d.readString(), d.readString()));
                }
                d.endStruct(env);
                if (r.result() == 1 || handle.max()) {
                    break; // the OSD says this pg is exhausted (its handle is where the next pg starts)
                }
                cursor = org.jceph.encoding.CephEncoder.toBytes(handle::encode);
            }
        }
        return out;
    }

    /** hobject_t(): the start of a pg (empty names, snap 0, hash 0, pool INT64_MIN). */
    private static byte[] emptyCursor() {
        return org.jceph.encoding.CephEncoder.toBytes(
                new org.jceph.encoding.types.HObject("", "", 0, 0, false, "", Long.MIN_VALUE, 4)::encode);
    }

    // ---- advisory locks (object class "lock") ------------------------------------------------

    /**
     * Takes an advisory lock (cls_lock "lock"): {@code shared} or exclusive, held under our client
     * name and {@code cookie}; {@code durationSeconds} 0 means until unlocked. An exclusive lock
     * held by someone else is EBUSY; one we already hold is EEXIST.
     */
    public void lock(String oid, String name, boolean shared, String cookie, String tag, String description,
            long durationSeconds) {
        exec(oid, "lock", "lock", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name).writeU8(shared ? LockInfo.SHARED : LockInfo.EXCLUSIVE).writeString(cookie)
                    .writeString(tag).writeString(description).writeUtime(new UTime(durationSeconds, 0)).writeU8(0);
            e.finishStruct(mark);
        }));
    }

    public void unlock(String oid, String name, String cookie) {
        exec(oid, "lock", "unlock", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name).writeString(cookie);
            e.finishStruct(mark);
        }));
    }

    /** Breaks another client's lock ({@code locker} as get_lock_info names it). */
    public void breakLock(String oid, String name, org.jceph.encoding.types.EntityName locker, String cookie) {
        exec(oid, "lock", "break_lock", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name);
            locker.encode(e);
            e.writeString(cookie);
            e.finishStruct(mark);
        }));
    }

    public LockInfo getLockInfo(String oid, String name) {
        return LockInfo.decode(exec(oid, "lock", "get_info", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name);
            e.finishStruct(mark);
        })));
    }

    /** The names of the locks on an object. */
    public java.util.SortedSet<String> listLocks(String oid) {
        CephDecoder d = CephDecoder.of(exec(oid, "lock", "list_locks", new byte[0]), "cls_lock_list_locks_reply");
        CephDecoder.Envelope env = d.beginStruct("cls_lock_list_locks_reply", 1);
        java.util.SortedSet<String> out = new TreeSet<>(d.readSet(4, CephDecoder::readString));
        d.endStruct(env);
        return out;
    }

    // ---- pool snapshots -------------------------------------------------------------------

    /** rados mksnap: a snapshot of the whole pool. */
    public void snapCreate(String name) {
        client.createPoolSnap(poolId, name);
    }

    public void snapRemove(String name) {
        client.removePoolSnap(poolId, name);
    }

    /** Pool snapshots by id, from the current map. */
    public java.util.SortedMap<Long, String> snapList() {
        java.util.SortedMap<Long, String> out = new TreeMap<>();
        client.osdMap().pool(poolId).snaps().forEach((id, info) -> out.put(id, info.name()));
        return out;
    }

    public long snapLookup(String name) {
        for (Map.Entry<Long, String> e : snapList().entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        throw RadosException.of(-2, "pool snapshot " + name);
    }

    /** Rolls one object back to a pool snapshot (rados rollback). */
    public void snapRollback(String oid, String snapName) {
        long id = snapLookup(snapName);
        await(run(oid, OsdOp.rollback(id)));
    }

    /** Rolls one object back to a self-managed snapshot. */
    public void selfManagedSnapRollback(String oid, long snapId) {
        await(selfManagedSnapRollbackAsync(oid, snapId));
    }

    public CompletableFuture<Void> selfManagedSnapRollbackAsync(String oid, long snapId) {
        return run(oid, OsdOp.rollback(snapId)).thenApply(r -> null);
    }

    // ---- self-managed snapshots -----------------------------------------------------------

    public long selfManagedSnapCreate() {
        return client.createSelfManagedSnap(poolId);
    }

    public void selfManagedSnapRemove(long snapId) {
        client.removeSelfManagedSnap(poolId, snapId);
    }

    // ---- watch / notify ---------------------------------------------------------------------

    /** Receives notifications on a watched object; what it returns is the ack's reply payload. */
    @FunctionalInterface
    public interface WatchListener {
        byte[] onNotify(long notifyId, long notifierGid, byte[] payload);

        /** The OSD dropped the watch (DISCONNECT); re-watch to hear more. */
        default void onDisconnect() {
        }
    }

    /**
     * Watches {@code oid} (librados watch2): returns the watch cookie. Each notification runs the
     * listener off the I/O thread and is acknowledged with its return value.
     */
    public long watch(String oid, WatchListener listener) {
        long cookie = client.cookies.incrementAndGet();
        client.watchListeners.put(cookie, ev -> {
            if (ev.opcode() == WatchNotify.EVENT_NOTIFY) {
                byte[] reply;
                try {
                    reply = listener.onNotify(ev.notifyId(), ev.notifierGid(), ev.payload());
                } catch (RuntimeException e) {
                    reply = new byte[0];
                }
                run(oid, OsdOp.notifyAck(ev.notifyId(), cookie, reply == null ? new byte[0] : reply));
            } else if (ev.opcode() == WatchNotify.EVENT_DISCONNECT) {
                listener.onDisconnect();
            }
        });
        try {
            RadosClient.Linger linger = client.new Linger(this, oid, cookie);
            linger.osd = client.primaryOf(this, oid);
            linger.interval = client.lingerInterval(linger);
            long faults = client.sessionFaults(linger.osd);
            await(run(oid, OsdOp.watch(cookie, OsdOp.WATCH_OP_WATCH, 30)));
            client.lingers.put(cookie, linger);
            client.reconnectIfFaultedSince(linger, faults);
        } catch (RuntimeException e) {
            client.watchListeners.remove(cookie);
            throw e;
        }
        return cookie;
    }

    /**
     * Asks the OSD whether the watch is still connected (WATCH_OP_PING): ENOTCONN when it has
     * forgotten the watch, ETIMEDOUT when the watch lost its session; both mean register again.
     */
    CompletableFuture<OsdOpMessages.Reply> pingWatch(RadosClient.Linger l) {
        return run(l.oid, OsdOp.watch(l.cookie, OsdOp.WATCH_OP_PING, 30), java.time.Duration.ofSeconds(10));
    }

    /** Re-registers a watch after a fault or a primary change (WATCH_OP_RECONNECT). */
    CompletableFuture<OsdOpMessages.Reply> reconnectWatch(RadosClient.Linger l) {
        return run(l.oid, OsdOp.watch(l.cookie, l.expired ? OsdOp.WATCH_OP_WATCH : OsdOp.WATCH_OP_RECONNECT, 30));
    }

    /**
     * Removes the watch on the OSD only, keeping it registered here: what an OSD that lost the
     * watch without the client noticing looks like (tests of the ping that finds and mends it).
     */
    void dropOnOsdOnly(String oid, long cookie) {
        await(run(oid, OsdOp.watch(cookie, OsdOp.WATCH_OP_UNWATCH, 0)));
    }

    public void unwatch(String oid, long cookie) {
        client.lingers.remove(cookie);
        try {
            await(run(oid, OsdOp.watch(cookie, OsdOp.WATCH_OP_UNWATCH, 0)));
        } finally {
            client.watchListeners.remove(cookie);
        }
    }

    /** One watcher of an object, as list_watchers reports it (watch_item_t). */
    public record Watcher(org.jceph.encoding.types.EntityName name, long cookie, int timeoutSeconds,
            org.jceph.encoding.types.EntityAddr addr) {
    }

    /** The object's watchers (CEPH_OSD_OP_LIST_WATCHERS, what {@code rados listwatchers} prints). */
    /** One clone of an object (clone_info): the snaps it serves, its size, and what it shares with the next newer one. */
    public record CloneInfo(long cloneId, List<Long> snaps, List<long[]> overlap, long size) {
        /** The head's clone id (CEPH_NOSNAP). */
        public static final long HEAD = -2L;
    }

    /** An object's snap set (obj_list_snap_response_t): clones oldest first, the head last, and seq. */
    public record SnapSet(List<CloneInfo> clones, long seq) {
    }

    /**
     * The object's clones and overlaps (librados' list_snaps, read at CEPH_SNAPDIR), or null when the
     * object has neither a head nor a clone.
     */
    public SnapSet listSnaps(String oid) {
        return await(listSnapsAsync(oid));
    }

    /** {@link #listSnaps} without blocking: completes with null when the object has neither a head nor a clone. */
    public CompletableFuture<SnapSet> listSnapsAsync(String oid) {
        IoCtx snapdir = duplicate();
        snapdir.setReadSnap(-1L); // CEPH_SNAPDIR
        return orNullWhenAbsent(snapdir.run(oid, OsdOp.listSnaps()).thenApply(r -> decodeSnapSet(r.outputs().get(0))));
    }

    /** {@link #statOrNull} without blocking. */
    public CompletableFuture<ObjectStat> statOrNullAsync(String oid) {
        return orNullWhenAbsent(statAsync(oid));
    }

    private static <T> CompletableFuture<T> orNullWhenAbsent(CompletableFuture<T> f) {
        return f.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = RadosException.unwrap(e);
            return cause instanceof RadosException.ObjectNotFoundException
                    ? CompletableFuture.<T>completedFuture(null) : CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(x -> x);
    }

    private static SnapSet decodeSnapSet(byte[] out) {
        CephDecoder d = CephDecoder.of(out, "obj_list_snap_response_t");
        CephDecoder.Envelope env = d.beginStruct("obj_list_snap_response_t", 2);
        int n = d.readCountLe("clones", 28);
        List<CloneInfo> clones = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            CephDecoder.Envelope c = d.beginStruct("clone_info", 1);
            long id = d.readU64Le();
            List<Long> snaps = d.readList(8, CephDecoder::readU64Le);
            int m = d.readCountLe("overlap", 16);
            List<long[]> overlap = new java.util.ArrayList<>();
            for (int j = 0; j < m; j++) {
                overlap.add(new long[] {d.readU64Le(), d.readU64Le()});
            }
            long size = d.readU64Le();
            d.endStruct(c);
            clones.add(new CloneInfo(id, List.copyOf(snaps), List.copyOf(overlap), size));
        }
        long seq = env.version() >= 2 ? d.readU64Le() : -2L;
        d.endStruct(env);
        return new SnapSet(List.copyOf(clones), seq);
    }

    public List<Watcher> listWatchers(String oid) {
        byte[] out = await(run(oid, OsdOp.listWatchers())).outputs().get(0);
        CephDecoder d = CephDecoder.of(out, "obj_list_watch_response_t");
        CephDecoder.Envelope env = d.beginStruct("obj_list_watch_response_t", 1);
        int n = d.readCountLe("watchers", 20);
        List<Watcher> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            CephDecoder.Envelope item = d.beginStruct("watch_item_t", 1);
            org.jceph.encoding.types.EntityName name = org.jceph.encoding.types.EntityName.decode(d);
            long cookie = d.readU64Le();
            int timeout = (int) d.readU32Le();
            org.jceph.encoding.types.EntityAddr addr = org.jceph.encoding.types.EntityAddr.decode(d);
            d.endStruct(item);
            list.add(new Watcher(name, cookie, timeout, addr));
        }
        d.endStruct(env);
        return list;
    }

    /** What a notify gathered: each watcher's reply by (client gid, watch cookie), and who timed out. */
    public record NotifyResult(Map<List<Long>, byte[]> replies, List<List<Long>> timedOut) {
    }

    /**
     * Notifies every watcher of {@code oid} and waits (at most {@code timeoutSeconds} plus slack)
     * until each acknowledged or timed out.
     */
    public NotifyResult notify(String oid, byte[] payload, int timeoutSeconds) {
        long cookie = client.cookies.incrementAndGet();
        CompletableFuture<WatchNotify.Event> done = new CompletableFuture<>();
        client.watchListeners.put(cookie, ev -> {
            if (ev.opcode() == WatchNotify.EVENT_NOTIFY_COMPLETE) {
                done.complete(ev);
            }
        });
        try {
            await(run(oid, OsdOp.notify(cookie, timeoutSeconds, payload)));
            WatchNotify.Event ev = done.get(timeoutSeconds + 10L, java.util.concurrent.TimeUnit.SECONDS);
            CephDecoder d = CephDecoder.of(ev.data(), "notify completion");
            Map<List<Long>, byte[]> replies = new java.util.LinkedHashMap<>();
            int n = d.readCountLe("notify replies", 20);
            for (int i = 0; i < n; i++) {
                List<Long> who = List.of(d.readU64Le(), d.readU64Le());
                replies.put(who, d.readBlob());
            }
            List<List<Long>> missed = new java.util.ArrayList<>();
            if (d.hasRemaining()) {
                int m = d.readCountLe("missed", 16);
                for (int i = 0; i < m; i++) {
                    missed.add(List.of(d.readU64Le(), d.readU64Le()));
                }
            }
            return new NotifyResult(replies, missed);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RadosException(-110, "notify on " + oid + " did not complete");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new RadosException(-5, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RadosException(-4, "interrupted");
        } finally {
            client.watchListeners.remove(cookie);
        }
    }

    // ---- compound operations ------------------------------------------------------------------

    /** Runs a compound op atomically on one object: all its steps succeed or none applies. */
    public OperationResult operate(String oid, Operation operation) {
        return await(operateAsync(oid, operation));
    }

    /** {@link #operate} without blocking; the future fails with the typed {@link RadosException}. */
    public CompletableFuture<OperationResult> operateAsync(String oid, Operation operation) {
        boolean writes = operation.ops().stream().anyMatch(OsdOp::writes);
        List<OsdOp> steps = List.copyOf(operation.ops());
        return client.submit(poolId, namespace, locatorKey, oid, steps,
                writes ? OsdOpMessages.NOSNAP : readSnap, writeSnapContext, opTimeout).thenApply(r -> {
            if (r.result() < 0) {
                throw RadosException.of(r.result(), poolName + "/" + oid);
            }
            return new OperationResult(r.outputs(), r.rvals(), r.userVersion());
        });
    }

    /** The I/O context of another pool of the same client (a clone's parent may live elsewhere). */
    public IoCtx forPool(long otherPoolId) {
        return client.ioCtx(otherPoolId);
    }

    /** Per-step outputs and return values, and the object's version after the op. */
    public record OperationResult(List<byte[]> outputs, List<Integer> returnValues, long version) {
    }

    /**
     * A compound operation (librados' ObjectReadOperation / ObjectWriteOperation): steps run in
     * order on one object, in one message.
     */
    public static final class Operation {
        private final List<OsdOp> ops = new java.util.ArrayList<>();

        List<OsdOp> ops() {
            return ops;
        }

        /** Fails with ENOENT unless the object exists (a STAT step, as librados does it). */
        public Operation assertExists() {
            ops.add(OsdOp.stat());
            return this;
        }

        /** Fails with ERANGE/EOVERFLOW unless the object's version is exactly {@code version}. */
        public Operation assertVersion(long version) {
            ops.add(OsdOp.assertVersion(version));
            return this;
        }

        public Operation create(boolean exclusive) {
            ops.add(OsdOp.create(exclusive));
            return this;
        }

        public Operation write(long offset, byte[] data) {
            ops.add(OsdOp.write(offset, data));
            return this;
        }

        public Operation writeFull(byte[] data) {
            ops.add(OsdOp.writeFull(data));
            return this;
        }

        public Operation append(byte[] data) {
            ops.add(OsdOp.append(data));
            return this;
        }

        public Operation truncate(long size) {
            ops.add(OsdOp.truncate(size));
            return this;
        }

        public Operation zero(long offset, long length) {
            ops.add(OsdOp.zero(offset, length));
            return this;
        }

        public Operation remove() {
            ops.add(OsdOp.delete());
            return this;
        }

        public Operation setXattr(String name, byte[] value) {
            ops.add(OsdOp.setXattr(name, value));
            return this;
        }

        public Operation cmpXattr(String name, int op, byte[] value) {
            ops.add(OsdOp.cmpXattr(name, op, 1, value));
            return this;
        }

        public Operation omapSetVals(Map<String, byte[]> values) {
            ops.add(OsdOp.omapSetVals(new TreeMap<>(values)));
            return this;
        }

        public Operation read(long offset, long length) {
            ops.add(OsdOp.read(offset, length));
            return this;
        }

        public Operation getXattr(String name) {
            ops.add(OsdOp.getXattr(name));
            return this;
        }

        public Operation rmXattr(String name) {
            ops.add(OsdOp.rmXattr(name));
            return this;
        }

        /** Every xattr; decode the step's output with {@link #decodeXattrs}. */
        public Operation getXattrs() {
            ops.add(OsdOp.getXattrs());
            return this;
        }

        public Operation omapRmKeys(Collection<String> keys) {
            ops.add(OsdOp.omapRmKeys(keys));
            return this;
        }

        /** Up to {@code max} omap entries; decode the step's output with {@link #decodeOmapVals}. */
        public Operation omapGetVals(String startAfter, String prefix, long max) {
            ops.add(OsdOp.omapGetVals(startAfter, prefix, max));
            return this;
        }

        /** The output of a {@link #getXattrs()} step, by name. */
        public static SortedMap<String, byte[]> decodeXattrs(byte[] output) {
            return new TreeMap<>(CephDecoder.of(output, "xattrs").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
        }

        /** The entries in the output of an {@link #omapGetVals} step (the "more" flag is not returned). */
        public static SortedMap<String, byte[]> decodeOmapVals(byte[] output) {
            return new TreeMap<>(CephDecoder.of(output, "omap values").readMap(8, CephDecoder::readString, CephDecoder::readBlob));
        }

        public Operation exec(String cls, String method, byte[] input) {
            ops.add(OsdOp.call(cls, method, input));
            return this;
        }
    }

    /** The object's current version (librados' user version). */
    public long version(String oid) {
        return operate(oid, new Operation().assertExists()).version();
    }

    /** Extents that hold data in [offset, offset+length), and their bytes concatenated. */
    public record SparseRead(java.util.SortedMap<Long, Long> extents, byte[] data) {
    }

    public SparseRead sparseRead(String oid, long offset, long length) {
        byte[] out = await(run(oid, OsdOp.sparseRead(offset, length))).outputs().get(0);
        CephDecoder d = CephDecoder.of(out, "sparse read");
        java.util.SortedMap<Long, Long> extents = new TreeMap<>(d.readMap(16, CephDecoder::readU64Le, CephDecoder::readU64Le));
        return new SparseRead(extents, d.readBlob());
    }
}
