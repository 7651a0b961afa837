package org.jceph.rados;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.objecter.LingerManager;

/**
 * Object I/O in one pool, as librados' IoCtx. Each operation has a {@code CompletableFuture} form
 * with an {@code Async} suffix and a blocking form that waits on it, bounded by the context's op
 * timeout ({@link #opTimeout()}; pool snapshots by rados_mon_op_timeout, notify by its own
 * timeout). Compound operations are {@link ReadOperation} and {@link WriteOperation}; listing is
 * paged by {@link ObjectCursor} ({@link #objects(String)}, {@link #objectListSlice}).
 *
 * <p>Arguments are checked before anything is sent: a null object name is a
 * {@link NullPointerException} and a negative offset or length an {@link IllegalArgumentException},
 * each naming the argument. What the cluster refuses comes out as a typed {@link RadosException}
 * whose message names the pool, the namespace (if not the default one) and the object.
 *
 * <p>An IoCtx is safe to use from several threads; its settings (namespace, locator key, snapshot
 * and timeout) apply to the operations started after they are set. {@link #close()} removes the
 * watches registered through this context; the context is unusable afterwards.
 *
 * <p>Why this class stays over 600 lines: it is the public API, and mirrors librados' IoCtx
 * method for method (blocking and {@code Async} forms, the nested records, the deprecated
 * {@link Operation}); about half of it is their javadoc. It holds the context's settings and
 * one-line delegations; the code is in package-private classes: {@code ObjectDataOps} (object
 * data), {@code AttrOps} (xattrs, omap, exec), {@code ClsLockOps} (advisory locks),
 * {@code SnapOps} (pool and self-managed snapshots, list_snaps), {@code ObjectListing} (PGNLS
 * pages and cursors), {@code WatchNotifyOps} (watch/notify), {@code CompoundOps} (running
 * compound operations), {@code CompoundOp} and {@code WriteSteps} (the steps of compound
 * operations, each declared and encoded once for all three builders).
 */
public final class IoCtx implements AutoCloseable {
    final RadosClient client;
    final long poolId;
    final String poolName;
    volatile SnapContext writeSnapContext = SnapContext.EMPTY;
    volatile long readSnap = OsdOpMessages.NOSNAP;
    volatile String namespace = "";
    volatile String locatorKey = "";
    volatile Duration opTimeout;
    private volatile boolean closed;
    /** Watches registered through this context (cookie to object), removed by {@link #close()}. */
    final Map<Long, String> watches = new ConcurrentHashMap<>();

    /** librados' LIBRADOS_ALL_NSPACES: list every namespace. */
    public static final String ALL_NAMESPACES = "\u0001";

    private final WatchNotifyOps watchOps = new WatchNotifyOps(this);
    private final ObjectListing listing = new ObjectListing(this);
    private final ClsLockOps locks = new ClsLockOps(this);
    private final SnapOps snaps = new SnapOps(this);
    private final AttrOps attrs = new AttrOps(this);
    private final ObjectDataOps dataOps = new ObjectDataOps(this);
    private final CompoundOps compound = new CompoundOps(this);

    IoCtx(RadosClient client, long poolId, String poolName) {
        this.client = client;
        this.poolId = poolId;
        this.poolName = poolName;
    }

    /**
     * The pool's id.
     *
     * @return the id
     */
    public long poolId() {
        return poolId;
    }

    /**
     * The client this context belongs to (its instance id, monitor commands).
     *
     * @return the client
     */
    public RadosClient client() {
        return client;
    }

    /**
     * A new IoCtx on the same pool, namespace and locator key, with its own snapshot and timeout
     * settings (the defaults).
     *
     * @return the new context
     */
    public IoCtx duplicate() {
        IoCtx copy = new IoCtx(client, poolId, poolName);
        copy.namespace = namespace;
        copy.locatorKey = locatorKey;
        return copy;
    }

    /**
     * The pool's name.
     *
     * @return the name
     */
    public String poolName() {
        return poolName;
    }

    /**
     * Objects are named within this namespace from now on ("" is the default namespace).
     *
     * @param ns the namespace; not {@link #ALL_NAMESPACES}, which is for listing only
     */
    public void setNamespace(String ns) {
        Args.notNull(ns, "namespace");
        if (ns.equals(ALL_NAMESPACES)) {
            throw new IllegalArgumentException("ALL_NAMESPACES is for listing only: use listObjects(ALL_NAMESPACES)");
        }
        this.namespace = ns;
    }

    /**
     * The namespace objects are named in ("" for the default one).
     *
     * @return the namespace
     */
    public String namespace() {
        return namespace;
    }

    /**
     * Objects are placed by this key instead of their name ("" = by name), as librados' locator_set_key.
     *
     * @param key the locator key, "" for none
     */
    public void setLocatorKey(String key) {
        this.locatorKey = Args.notNull(key, "key");
    }

    /**
     * The locator key objects are placed by ("" when they are placed by name).
     *
     * @return the key
     */
    public String locatorKey() {
        return locatorKey;
    }

    /**
     * The snapshot context sent with every write (librados' selfmanaged_snap_set_write_ctx): the
     * newest snap id and the existing snaps, newest first. OSDs clone an object before the first
     * write after a snapshot it has not seen.
     *
     * @param snapContext the context
     * @throws IllegalArgumentException when the snaps are not in descending order below seq
     */
    public void setSelfManagedSnapWriteContext(SnapContext snapContext) {
        Args.notNull(snapContext, "snapContext");
        if (!snapContext.isValid()) {
            throw new IllegalArgumentException("invalid snap context " + snapContext);
        }
        this.writeSnapContext = snapContext;
    }

    /**
     * The snapshot context sent with writes ({@link #setSelfManagedSnapWriteContext}).
     *
     * @return the context (empty until one is set)
     */
    public SnapContext selfManagedSnapWriteContext() {
        return writeSnapContext;
    }

    /**
     * Reads go to this snapshot from now on ({@code -2 = CEPH_NOSNAP}, the head, by default).
     *
     * @param snapId the snapshot id, or -2 for the head
     */
    public void setReadSnap(long snapId) {
        this.readSnap = snapId;
    }

    /**
     * The whole-operation timeout of this context's ops (default: the client's
     * rados_osd_op_timeout). It runs from submission, across waits for budget, maps, unpause or
     * an OSD's backoff, and every resend; when it ends the op fails with
     * {@link RadosException.TimeoutException} and leaves the queue. Zero means no timeout, as in
     * librados: the op waits as long as it takes (cancel its future to end it).
     *
     * @param timeout the timeout, zero for none
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public void setOpTimeout(Duration timeout) {
        Args.notNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        this.opTimeout = timeout;
    }

    /**
     * The whole-operation timeout of this context's ops.
     *
     * @return the timeout, {@link Duration#ZERO} for none
     */
    public Duration opTimeout() {
        return opTimeout == null ? client.opTimeout() : opTimeout;
    }

    <T> T await(CompletableFuture<T> f) {
        return client.await(f, opTimeout());
    }

    /** How errors name an object: pool, namespace if any, object. */
    String where(String oid) {
        return "object '" + oid + "' in pool '" + poolName + "'" + (namespace.isEmpty() ? "" : " namespace '" + namespace + "'");
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this IoCtx of pool '" + poolName + "' is closed");
        }
        client.checkOpen("pool '" + poolName + "'");
    }

    /**
     * Size and modification time of an object.
     *
     * @param size the size in bytes
     * @param mtime the time of the last modification
     */
    public record ObjectStat(long size, UTime mtime) {
    }

    CompletableFuture<OsdOpMessages.Reply> run(String oid, OsdOp op) {
        return run(oid, op, opTimeout);
    }

    /** As {@link #run(String, OsdOp)} with its own timeout (null: the client's). */
    CompletableFuture<OsdOpMessages.Reply> run(String oid, OsdOp op, java.time.Duration timeout) {
        return run(oid, op, timeout, null);
    }

    /** As above, {@code op}'s output delivered into {@code sink}'s buffer when it is not null. */
    CompletableFuture<OsdOpMessages.Reply> run(String oid, OsdOp op, java.time.Duration timeout,
            org.jceph.rados.internal.ReadInto sink) {
        Args.oid(oid);
        checkOpen();
        return client.submit(poolId, namespace, locatorKey, oid, List.of(op), op.writes() ? OsdOpMessages.NOSNAP : readSnap,
                writeSnapContext, timeout, sink).thenApply(r -> {
            if (r.result() < 0) {
                throw RadosException.of(r.result(), where(oid));
            }
            return r;
        });
    }

    static byte[] bytes(byte[] data, String name) {
        return Args.notNull(data, name);
    }

    // ---- data ---------------------------------------------------------------------------------

    /**
     * Replaces the object's data with {@code data}, creating the object if needed.
     *
     * @param oid the object
     * @param data the new content
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> writeFullAsync(String oid, byte[] data) {
        return dataOps.writeFullAsync(oid, data);
    }

    /**
     * Replaces the object's data with {@code data}, creating the object if needed.
     *
     * @param oid the object
     * @param data the new content
     */
    public void writeFull(String oid, byte[] data) {
        await(writeFullAsync(oid, data));
    }

    /**
     * Writes {@code data} at {@code offset}, creating the object if needed.
     *
     * @param oid the object
     * @param offset where to write, not negative
     * @param data what to write
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> writeAsync(String oid, long offset, byte[] data) {
        return dataOps.writeAsync(oid, offset, data);
    }

    /**
     * Writes {@code data} at {@code offset}, creating the object if needed.
     *
     * @param oid the object
     * @param offset where to write, not negative
     * @param data what to write
     */
    public void write(String oid, long offset, byte[] data) {
        await(writeAsync(oid, offset, data));
    }

    /**
     * Reads up to {@code length} bytes at {@code offset}: fewer at the end of the object, none past
     * it. A length of 0 reads to the end of the object, as the OSD does.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param length how many bytes at most, not negative
     * @return a future of the bytes read; it fails with {@link RadosException.ObjectNotFoundException}
     *         when the object does not exist
     */
    public CompletableFuture<byte[]> readAsync(String oid, long offset, int length) {
        return dataOps.readAsync(oid, offset, length);
    }

    /**
     * Reads up to {@code length} bytes at {@code offset} without copying them: the bytes stay in
     * the buffers the reply was received into, handed over as a {@link ReadView} (as librados'
     * {@code aio_read} into a bufferlist claims the reply's buffers). Fewer bytes at the end of the
     * object, none past it; a length of 0 reads to the end of the object. Timeouts and errors are
     * those of {@link #readAsync(String, long, int)}.
     *
     * <p>Once the future completes normally the view is the caller's, who must close it: it pins
     * receive memory until then (see {@link ReadView}). Cancel the returned future itself (not a
     * stage derived from it) to give up on a read: a view that arrives after that is closed here.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param length how many bytes at most, not negative
     * @return a future of the view; it fails with {@link RadosException.ObjectNotFoundException}
     *         when the object does not exist
     */
    public CompletableFuture<ReadView> readViewAsync(String oid, long offset, int length) {
        return dataOps.readViewAsync(oid, offset, length);
    }

    /**
     * Reads up to {@code length} bytes at {@code offset} without copying them, waiting at most the
     * op timeout: see {@link #readViewAsync}. The view is the caller's to close.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param length how many bytes at most, not negative
     * @return the view
     */
    public ReadView readView(String oid, long offset, int length) {
        CompletableFuture<ReadView> f = readViewAsync(oid, offset, length);
        try {
            return await(f);
        } catch (RuntimeException e) {
            f.thenAccept(ReadView::close); // gave up (timeout, interrupt): a view that still comes is released
            throw e;
        }
    }

    /**
     * Reads up to {@code length} bytes at {@code offset}: see {@link #readAsync}.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param length how many bytes at most, not negative (0: to the end of the object)
     * @return the bytes read
     */
    public byte[] read(String oid, long offset, int length) {
        return await(readAsync(oid, offset, length));
    }

    // ---- ByteBuffer and caller's-buffer I/O ------------------------------------------------------

    /**
     * Writes the remaining bytes of {@code data} at {@code offset}; the buffer's position moves to
     * its limit at once. A heap buffer that spans its whole backing array, and any writable direct
     * buffer, are sent without a copy (a direct buffer's memory is what the socket reads): leave
     * them unchanged until the future completes. Other buffers (heap slices, read-only ones) are
     * copied once.
     *
     * @param oid the object
     * @param offset where to write, not negative
     * @param data what to write: its remaining bytes
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> writeAsync(String oid, long offset, ByteBuffer data) {
        return dataOps.writeAsync(oid, offset, data);
    }

    /**
     * Writes the remaining bytes of {@code data} at {@code offset}: see {@link #writeAsync(String, long, ByteBuffer)}.
     *
     * @param oid the object
     * @param offset where to write, not negative
     * @param data what to write: its remaining bytes
     */
    public void write(String oid, long offset, ByteBuffer data) {
        await(writeAsync(oid, offset, data));
    }

    /**
     * Replaces the object's data with the remaining bytes of {@code data}.
     *
     * @param oid the object
     * @param data the new content: its remaining bytes
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> writeFullAsync(String oid, ByteBuffer data) {
        return dataOps.writeFullAsync(oid, data);
    }

    /**
     * Replaces the object's data with the remaining bytes of {@code data}.
     *
     * @param oid the object
     * @param data the new content: its remaining bytes
     */
    public void writeFull(String oid, ByteBuffer data) {
        await(writeFullAsync(oid, data));
    }

    /**
     * Appends the remaining bytes of {@code data} to the object.
     *
     * @param oid the object
     * @param data what to append: its remaining bytes
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> appendAsync(String oid, ByteBuffer data) {
        return dataOps.appendAsync(oid, data);
    }

    /**
     * Reads at {@code offset} into {@code dst}, up to its remaining bytes, as
     * {@code FileChannel.read} does: the bytes land at the buffer's position, which moves past
     * them when the future completes (leave the buffer alone until then). Heap and direct buffers
     * both work; the reply's bytes are copied into the buffer once, straight from the received
     * message (no intermediate array), and only from the reply that completes the op: a reply to
     * an earlier send, or one that comes after a timeout or a cancel, never touches the buffer.
     * A short read fills only its bytes; the rest of the buffer is left as it was.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param dst where the bytes go; a buffer without remaining bytes reads nothing
     * @return a future of how many bytes were read (0 at or past the end of the object)
     * @throws java.nio.ReadOnlyBufferException at once when {@code dst} is read-only
     */
    public CompletableFuture<Integer> readAsync(String oid, long offset, ByteBuffer dst) {
        return dataOps.readAsync(oid, offset, dst);
    }

    /**
     * Reads at {@code offset} into {@code dst}: see {@link #readAsync(String, long, ByteBuffer)}.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param dst where the bytes go
     * @return how many bytes were read (0 at or past the end of the object)
     */
    public int read(String oid, long offset, ByteBuffer dst) {
        return await(readAsync(oid, offset, dst));
    }

    /**
     * Reads at {@code offset} into {@code buf[off, off+len)}.
     *
     * @param oid the object
     * @param offset where to read from, not negative
     * @param buf the caller's buffer
     * @param off where in {@code buf} the bytes go
     * @param len how many bytes at most
     * @return how many bytes were read (0 at or past the end of the object)
     * @throws IndexOutOfBoundsException when {@code off} and {@code len} do not fit {@code buf}
     */
    public int read(String oid, long offset, byte[] buf, int off, int len) {
        return dataOps.read(oid, offset, buf, off, len);
    }

    /**
     * Updates a tmap object (the pre-omap key/value format kept in the object's data) with
     * {@code commands}: each is {@code u8 op} ('s' set, 'c' create, 'r' remove, 'R' remove if
     * present, 'h' header), {@code string key}, and for set/create/header a {@code blob value}.
     *
     * @param oid the object
     * @param commands the encoded commands
     */
    public void tmapUpdate(String oid, byte[] commands) {
        await(tmapUpdateAsync(oid, commands));
    }

    /**
     * {@link #tmapUpdate} without blocking.
     *
     * @param oid the object
     * @param commands the encoded commands
     * @return a future completed when the update is applied
     */
    public CompletableFuture<Void> tmapUpdateAsync(String oid, byte[] commands) {
        return dataOps.tmapUpdateAsync(oid, commands);
    }

    /**
     * The object's size and modification time.
     *
     * @param oid the object
     * @return a future of the stat; it fails with {@link RadosException.ObjectNotFoundException}
     *         when the object does not exist
     */
    public CompletableFuture<ObjectStat> statAsync(String oid) {
        return dataOps.statAsync(oid);
    }

    /**
     * The object's size and modification time.
     *
     * @param oid the object
     * @return the stat
     * @throws RadosException.ObjectNotFoundException when the object does not exist
     */
    public ObjectStat stat(String oid) {
        return await(statAsync(oid));
    }

    /**
     * Removes the object.
     *
     * @param oid the object
     * @return a future; it fails with {@link RadosException.ObjectNotFoundException} when the
     *         object does not exist
     */
    public CompletableFuture<Void> removeAsync(String oid) {
        return dataOps.removeAsync(oid);
    }

    /**
     * Removes the object.
     *
     * @param oid the object
     * @throws RadosException.ObjectNotFoundException when the object does not exist
     */
    public void remove(String oid) {
        await(removeAsync(oid));
    }

    /**
     * Appends {@code data} to the object, creating it if needed.
     *
     * @param oid the object
     * @param data what to append
     */
    public void append(String oid, byte[] data) {
        await(appendAsync(oid, data));
    }

    /**
     * Appends {@code data} to the object, creating it if needed.
     *
     * @param oid the object
     * @param data what to append
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> appendAsync(String oid, byte[] data) {
        return dataOps.appendAsync(oid, data);
    }

    /**
     * Sets the object's size, cutting or zero-extending it.
     *
     * @param oid the object
     * @param size the new size, not negative
     */
    public void truncate(String oid, long size) {
        await(truncateAsync(oid, size));
    }

    /**
     * Sets the object's size, cutting or zero-extending it.
     *
     * @param oid the object
     * @param size the new size, not negative
     * @return a future completed when done
     */
    public CompletableFuture<Void> truncateAsync(String oid, long size) {
        return dataOps.truncateAsync(oid, size);
    }

    /**
     * Zeroes {@code length} bytes at {@code offset} (the OSD may deallocate them).
     *
     * @param oid the object
     * @param offset where to start, not negative
     * @param length how many bytes, not negative
     */
    public void zero(String oid, long offset, long length) {
        await(zeroAsync(oid, offset, length));
    }

    /**
     * Zeroes {@code length} bytes at {@code offset}.
     *
     * @param oid the object
     * @param offset where to start, not negative
     * @param length how many bytes, not negative
     * @return a future completed when done
     */
    public CompletableFuture<Void> zeroAsync(String oid, long offset, long length) {
        return dataOps.zeroAsync(oid, offset, length);
    }

    /**
     * The object's stat, or null when it does not exist.
     *
     * @param oid the object
     * @return the stat, or null
     */
    public ObjectStat statOrNull(String oid) {
        return dataOps.statOrNull(oid);
    }

    /**
     * Creates an empty object.
     *
     * @param oid the object
     * @param exclusive whether an existing object is an error
     * @throws RadosException.ObjectExistsException with {@code exclusive}, when the object exists
     */
    public void create(String oid, boolean exclusive) {
        await(createAsync(oid, exclusive));
    }

    /**
     * Creates an empty object.
     *
     * @param oid the object
     * @param exclusive whether an existing object is an error
     * @return a future; with {@code exclusive} it fails with
     *         {@link RadosException.ObjectExistsException} when the object exists
     */
    public CompletableFuture<Void> createAsync(String oid, boolean exclusive) {
        return dataOps.createAsync(oid, exclusive);
    }

    // ---- xattrs -----------------------------------------------------------------------------

    /**
     * One extended attribute of the object.
     *
     * @param oid the object
     * @param name the attribute's name
     * @return its value
     * @throws RadosException.NoDataException when the object has no such attribute
     * @throws RadosException.ObjectNotFoundException when the object does not exist
     */
    public byte[] getXattr(String oid, String name) {
        return await(getXattrAsync(oid, name));
    }

    /**
     * One extended attribute of the object.
     *
     * @param oid the object
     * @param name the attribute's name
     * @return a future of its value; it fails with {@link RadosException.NoDataException} when
     *         the object has no such attribute
     */
    public CompletableFuture<byte[]> getXattrAsync(String oid, String name) {
        return attrs.getXattrAsync(oid, name);
    }

    /**
     * Sets an extended attribute, creating the object if needed.
     *
     * @param oid the object
     * @param name the attribute's name
     * @param value its value
     */
    public void setXattr(String oid, String name, byte[] value) {
        await(setXattrAsync(oid, name, value));
    }

    /**
     * Sets an extended attribute, creating the object if needed.
     *
     * @param oid the object
     * @param name the attribute's name
     * @param value its value
     * @return a future completed when done
     */
    public CompletableFuture<Void> setXattrAsync(String oid, String name, byte[] value) {
        return attrs.setXattrAsync(oid, name, value);
    }

    /**
     * Removes an extended attribute.
     *
     * @param oid the object
     * @param name the attribute's name
     */
    public void rmXattr(String oid, String name) {
        await(rmXattrAsync(oid, name));
    }

    /**
     * Removes an extended attribute.
     *
     * @param oid the object
     * @param name the attribute's name
     * @return a future completed when done
     */
    public CompletableFuture<Void> rmXattrAsync(String oid, String name) {
        return attrs.rmXattrAsync(oid, name);
    }

    /**
     * Every extended attribute of the object, by name.
     *
     * @param oid the object
     * @return the attributes
     */
    public SortedMap<String, byte[]> getXattrs(String oid) {
        return await(getXattrsAsync(oid));
    }

    /**
     * Every extended attribute of the object, by name.
     *
     * @param oid the object
     * @return a future of the attributes
     */
    public CompletableFuture<SortedMap<String, byte[]>> getXattrsAsync(String oid) {
        return attrs.getXattrsAsync(oid);
    }

    /**
     * A comparison of cmpxattr, as the OSD evaluates it: the GIVEN value on the left, the stored
     * one on the right ({@code GT} holds when the given value is greater than the stored one).
     * The numbers are librados' LIBRADOS_CMPXATTR_OP_* values.
     */
    public enum Comparison {
        /** The given value equals the stored one. */
        EQ(1),
        /** The given value differs from the stored one. */
        NE(2),
        /** The given value is greater than the stored one. */
        GT(3),
        /** The given value is greater than or equal to the stored one. */
        GTE(4),
        /** The given value is less than the stored one. */
        LT(5),
        /** The given value is less than or equal to the stored one. */
        LTE(6);

        private final int code;

        Comparison(int code) {
            this.code = code;
        }

        /**
         * The comparison's number in librados and on the wire.
         *
         * @return 1 to 6
         */
        public int code() {
            return code;
        }

        /**
         * The comparison with librados' number {@code code}.
         *
         * @param code 1 (EQ) to 6 (LTE)
         * @return the comparison
         * @throws IllegalArgumentException for any other number
         */
        public static Comparison of(int code) {
            for (Comparison c : values()) {
                if (c.code == code) {
                    return c;
                }
            }
            throw new IllegalArgumentException("op must be a cmpxattr comparison 1 (EQ) to 6 (LTE): " + code);
        }
    }

    /**
     * Compares an xattr as librados' cmpxattr does (string comparison).
     *
     * @param oid the object
     * @param name the attribute
     * @param op the comparison
     * @param value the value to compare the stored one with
     * @return true when the comparison holds, false when the OSD says ECANCELED
     */
    public boolean cmpXattr(String oid, String name, Comparison op, byte[] value) {
        return await(cmpXattrAsync(oid, name, op, value));
    }

    /**
     * Compares an xattr as librados' cmpxattr does (string comparison).
     *
     * @param oid the object
     * @param name the attribute
     * @param op the comparison
     * @param value the value to compare the stored one with
     * @return a future of true when the comparison holds, false when the OSD says ECANCELED
     */
    public CompletableFuture<Boolean> cmpXattrAsync(String oid, String name, Comparison op, byte[] value) {
        return attrs.cmpXattrAsync(oid, name, op, value);
    }

    /**
     * As {@link #cmpXattr(String, String, Comparison, byte[])} with librados' number of the comparison.
     *
     * @param oid the object
     * @param name the attribute
     * @param op 1 EQ, 2 NE, 3 GT, 4 GTE, 5 LT, 6 LTE
     * @param value the value to compare the stored one with
     * @return true when the comparison holds
     */
    public boolean cmpXattr(String oid, String name, int op, byte[] value) {
        return cmpXattr(oid, name, Comparison.of(op), value);
    }

    // ---- omap -------------------------------------------------------------------------------

    /**
     * Up to {@code max} omap keys after {@code startAfter}.
     *
     * @param oid the object
     * @param startAfter the key to start after ("" from the first)
     * @param max how many keys at most, not negative
     * @return the keys
     */
    public SortedSet<String> omapGetKeys(String oid, String startAfter, long max) {
        return await(omapGetKeysAsync(oid, startAfter, max));
    }

    /**
     * Up to {@code max} omap keys after {@code startAfter}.
     *
     * @param oid the object
     * @param startAfter the key to start after ("" from the first)
     * @param max how many keys at most, not negative
     * @return a future of the keys
     */
    public CompletableFuture<SortedSet<String>> omapGetKeysAsync(String oid, String startAfter, long max) {
        return attrs.omapGetKeysAsync(oid, startAfter, max);
    }

    /**
     * Up to {@code max} omap entries after {@code startAfter} whose keys start with {@code prefix}.
     *
     * @param oid the object
     * @param startAfter the key to start after ("" from the first)
     * @param prefix the keys' prefix ("" for any)
     * @param max how many entries at most, not negative
     * @return the entries by key
     */
    public SortedMap<String, byte[]> omapGetVals(String oid, String startAfter, String prefix, long max) {
        return await(omapGetValsAsync(oid, startAfter, prefix, max));
    }

    /**
     * Up to {@code max} omap entries after {@code startAfter} whose keys start with {@code prefix}.
     *
     * @param oid the object
     * @param startAfter the key to start after ("" from the first)
     * @param prefix the keys' prefix ("" for any)
     * @param max how many entries at most, not negative
     * @return a future of the entries by key
     */
    public CompletableFuture<SortedMap<String, byte[]>> omapGetValsAsync(String oid, String startAfter, String prefix,
            long max) {
        return attrs.omapGetValsAsync(oid, startAfter, prefix, max);
    }

    /**
     * The omap entries of the given keys (absent keys are left out).
     *
     * @param oid the object
     * @param keys the keys
     * @return the entries by key
     */
    public SortedMap<String, byte[]> omapGetValsByKeys(String oid, Collection<String> keys) {
        return await(omapGetValsByKeysAsync(oid, keys));
    }

    /**
     * The omap entries of the given keys (absent keys are left out).
     *
     * @param oid the object
     * @param keys the keys
     * @return a future of the entries by key
     */
    public CompletableFuture<SortedMap<String, byte[]>> omapGetValsByKeysAsync(String oid, Collection<String> keys) {
        return attrs.omapGetValsByKeysAsync(oid, keys);
    }

    /**
     * The omap header.
     *
     * @param oid the object
     * @return the header, empty when none was set
     */
    public byte[] omapGetHeader(String oid) {
        return await(omapGetHeaderAsync(oid));
    }

    /**
     * The omap header.
     *
     * @param oid the object
     * @return a future of the header, empty when none was set
     */
    public CompletableFuture<byte[]> omapGetHeaderAsync(String oid) {
        return attrs.omapGetHeaderAsync(oid);
    }

    /**
     * Sets omap entries, creating the object if needed.
     *
     * @param oid the object
     * @param values the entries by key
     */
    public void omapSetVals(String oid, Map<String, byte[]> values) {
        await(omapSetValsAsync(oid, values));
    }

    /**
     * Sets omap entries, creating the object if needed.
     *
     * @param oid the object
     * @param values the entries by key
     * @return a future completed when done
     */
    public CompletableFuture<Void> omapSetValsAsync(String oid, Map<String, byte[]> values) {
        return attrs.omapSetValsAsync(oid, values);
    }

    /**
     * Sets the omap header.
     *
     * @param oid the object
     * @param header the header
     */
    public void omapSetHeader(String oid, byte[] header) {
        await(omapSetHeaderAsync(oid, header));
    }

    /**
     * Sets the omap header.
     *
     * @param oid the object
     * @param header the header
     * @return a future completed when done
     */
    public CompletableFuture<Void> omapSetHeaderAsync(String oid, byte[] header) {
        return attrs.omapSetHeaderAsync(oid, header);
    }

    /**
     * Removes omap entries.
     *
     * @param oid the object
     * @param keys their keys
     */
    public void omapRmKeys(String oid, Collection<String> keys) {
        await(omapRmKeysAsync(oid, keys));
    }

    /**
     * Removes omap entries.
     *
     * @param oid the object
     * @param keys their keys
     * @return a future completed when done
     */
    public CompletableFuture<Void> omapRmKeysAsync(String oid, Collection<String> keys) {
        return attrs.omapRmKeysAsync(oid, keys);
    }

    /**
     * Removes every omap entry.
     *
     * @param oid the object
     */
    public void omapClear(String oid) {
        await(omapClearAsync(oid));
    }

    /**
     * Removes every omap entry.
     *
     * @param oid the object
     * @return a future completed when done
     */
    public CompletableFuture<Void> omapClearAsync(String oid) {
        return attrs.omapClearAsync(oid);
    }

    // ---- object classes -----------------------------------------------------------------------

    /**
     * Runs a method of an object class on the object.
     *
     * @param oid the object
     * @param cls the class, such as "lock"
     * @param method the method, such as "get_info"
     * @param input the method's input
     * @return the method's output
     */
    public byte[] exec(String oid, String cls, String method, byte[] input) {
        return await(execAsync(oid, cls, method, input));
    }

    /**
     * Runs a method of an object class on the object.
     *
     * @param oid the object
     * @param cls the class, such as "lock"
     * @param method the method, such as "get_info"
     * @param input the method's input
     * @return a future of the method's output
     */
    public CompletableFuture<byte[]> execAsync(String oid, String cls, String method, byte[] input) {
        return attrs.execAsync(oid, cls, method, input);
    }

    // ---- listing ------------------------------------------------------------------------------

    /**
     * One listed object.
     *
     * @param namespace its namespace
     * @param oid its name
     * @param locator its locator key ("" when placed by name)
     */
    public record ListedObject(String namespace, String oid, String locator) {
    }

    /**
     * Every object of the current namespace, pg by pg (PGNLS), in the order {@code rados ls} prints them.
     *
     * @return the objects
     */
    public List<ListedObject> listObjects() {
        return listObjects(namespace);
    }

    /**
     * Every object of namespace {@code ns}, or of all namespaces with {@link #ALL_NAMESPACES},
     * collected into a list. For a large pool prefer {@link #objects(String)}, which holds one page
     * at a time.
     *
     * @param ns the namespace, or {@link #ALL_NAMESPACES}
     * @return the objects
     */
    public List<ListedObject> listObjects(String ns) {
        return listing.listObjects(ns);
    }

    /**
     * {@link #listObjects(String)} without blocking.
     *
     * @param ns the namespace, or {@link #ALL_NAMESPACES}
     * @return a future of the objects
     */
    public CompletableFuture<List<ListedObject>> listObjectsAsync(String ns) {
        return listing.listObjectsAsync(ns);
    }

    /**
     * The start of a listing (librados' object_list_begin).
     *
     * @return {@link ObjectCursor#BEGIN}
     */
    public ObjectCursor objectListBegin() {
        return ObjectCursor.BEGIN;
    }

    /**
     * The end of a listing (librados' object_list_end).
     *
     * @return {@link ObjectCursor#END}
     */
    public ObjectCursor objectListEnd() {
        return ObjectCursor.END;
    }

    /**
     * Splits [start, end) into {@code parts} consecutive ranges of about equal share of the hash
     * space, as librados' object_list_slice does, for parallel workers: listing each range and
     * joining the results gives the listing of the whole range, each object once.
     *
     * @param start where the range starts
     * @param end where it ends
     * @param parts how many ranges, positive
     * @return the ranges, in order; the first starts at {@code start}, the last ends at {@code end}
     */
    public List<ObjectCursor.Range> objectListSlice(ObjectCursor start, ObjectCursor end, int parts) {
        return listing.objectListSlice(start, end, parts);
    }

    /**
     * One page of a listing: the objects, and where the next page starts.
     *
     * @param objects the objects of this page, in listing order (possibly none)
     * @param next where to continue; the range's end when {@code done}
     * @param done whether the range is exhausted
     */
    public record ObjectPage(List<ListedObject> objects, ObjectCursor next, boolean done) {
    }

    /**
     * Lists up to {@code maxEntries} objects of namespace {@code ns} (or all with
     * {@link #ALL_NAMESPACES}) from {@code start} up to, not including, {@code end} (librados'
     * rados_object_list). Continue from the page's {@link ObjectPage#next()} until
     * {@link ObjectPage#done()}; a page may hold fewer objects than asked for, even none.
     *
     * @param ns the namespace, or {@link #ALL_NAMESPACES}
     * @param start where to start, from {@link #objectListBegin()}, a page, or a slice
     * @param end where to stop
     * @param maxEntries how many objects at most, positive
     * @return the page
     */
    public ObjectPage listObjectsPage(String ns, ObjectCursor start, ObjectCursor end, int maxEntries) {
        return await(listObjectsPageAsync(ns, start, end, maxEntries));
    }

    /**
     * {@link #listObjectsPage} without blocking.
     *
     * @param ns the namespace, or {@link #ALL_NAMESPACES}
     * @param start where to start
     * @param end where to stop
     * @param maxEntries how many objects at most, positive
     * @return a future of the page
     */
    public CompletableFuture<ObjectPage> listObjectsPageAsync(String ns, ObjectCursor start, ObjectCursor end, int maxEntries) {
        return listing.listObjectsPageAsync(ns, start, end, maxEntries);
    }

    /**
     * Every object of namespace {@code ns} (or all with {@link #ALL_NAMESPACES}), fetched a page
     * at a time as the stream is consumed; each page waits at most the op timeout.
     *
     * @param ns the namespace, or {@link #ALL_NAMESPACES}
     * @return a lazy, sequential stream of the objects
     */
    public java.util.stream.Stream<ListedObject> objects(String ns) {
        return objects(ns, ObjectCursor.Range.ALL);
    }

    /**
     * The objects of namespace {@code ns} (or all with {@link #ALL_NAMESPACES}) in one range, such
     * as a slice of {@link #objectListSlice}, fetched a page at a time as the stream is consumed.
     *
     * @param ns the namespace, or {@link #ALL_NAMESPACES}
     * @param range the range
     * @return a lazy, sequential stream of the objects
     */
    public java.util.stream.Stream<ListedObject> objects(String ns, ObjectCursor.Range range) {
        return listing.objects(ns, range);
    }

    // ---- advisory locks (object class "lock") ------------------------------------------------

    /**
     * Takes an advisory lock (cls_lock "lock"): {@code shared} or exclusive, held under our client
     * name and {@code cookie}. An exclusive lock held by someone else is
     * {@link RadosException.BusyException}; one we already hold is
     * {@link RadosException.ObjectExistsException}.
     *
     * @param oid the object
     * @param name the lock's name
     * @param shared shared rather than exclusive
     * @param cookie our cookie, which tells our holders apart
     * @param tag the tag shared holders agree on
     * @param description a description shown to others
     * @param durationSeconds how long the lock lasts, 0 until unlocked
     */
    public void lock(String oid, String name, boolean shared, String cookie, String tag, String description,
            long durationSeconds) {
        await(lockAsync(oid, name, shared, cookie, tag, description, durationSeconds));
    }

    /**
     * {@link #lock} without blocking: the future fails with {@link RadosException.BusyException}
     * or {@link RadosException.ObjectExistsException} as {@link #lock} throws them.
     *
     * @param oid the object
     * @param name the lock's name
     * @param shared shared rather than exclusive
     * @param cookie our cookie, which tells our holders apart
     * @param tag the tag shared holders agree on
     * @param description a description shown to others
     * @param durationSeconds how long the lock lasts, 0 until unlocked
     * @return a future completed when we hold the lock
     */
    public CompletableFuture<Void> lockAsync(String oid, String name, boolean shared, String cookie, String tag,
            String description, long durationSeconds) {
        return locks.lockAsync(oid, name, shared, cookie, tag, description, durationSeconds);
    }

    /**
     * Gives back a lock we hold.
     *
     * @param oid the object
     * @param name the lock's name
     * @param cookie the cookie we took it with
     * @throws RadosException.ObjectNotFoundException when we do not hold it
     */
    public void unlock(String oid, String name, String cookie) {
        await(unlockAsync(oid, name, cookie));
    }

    /**
     * Gives back a lock we hold.
     *
     * @param oid the object
     * @param name the lock's name
     * @param cookie the cookie we took it with
     * @return a future; it fails with {@link RadosException.ObjectNotFoundException} when we do not hold the lock
     */
    public CompletableFuture<Void> unlockAsync(String oid, String name, String cookie) {
        return locks.unlockAsync(oid, name, cookie);
    }

    /**
     * Breaks another client's lock.
     *
     * @param oid the object
     * @param name the lock's name
     * @param locker the holder, as {@link #getLockInfo} names it
     * @param cookie the holder's cookie
     */
    public void breakLock(String oid, String name, org.jceph.encoding.types.EntityName locker, String cookie) {
        await(breakLockAsync(oid, name, locker, cookie));
    }

    /**
     * Breaks another client's lock.
     *
     * @param oid the object
     * @param name the lock's name
     * @param locker the holder, as {@link #getLockInfo} names it
     * @param cookie the holder's cookie
     * @return a future completed when the lock is broken
     */
    public CompletableFuture<Void> breakLockAsync(String oid, String name, org.jceph.encoding.types.EntityName locker,
            String cookie) {
        return locks.breakLockAsync(oid, name, locker, cookie);
    }

    /**
     * A lock's type, tag and holders.
     *
     * @param oid the object
     * @param name the lock's name
     * @return the lock (no holders when nobody holds it)
     */
    public LockInfo getLockInfo(String oid, String name) {
        return await(getLockInfoAsync(oid, name));
    }

    /**
     * A lock's type, tag and holders.
     *
     * @param oid the object
     * @param name the lock's name
     * @return a future of the lock (no holders when nobody holds it)
     */
    public CompletableFuture<LockInfo> getLockInfoAsync(String oid, String name) {
        return locks.getLockInfoAsync(oid, name);
    }

    /**
     * The names of the locks on an object.
     *
     * @param oid the object
     * @return the names
     */
    public SortedSet<String> listLocks(String oid) {
        return await(listLocksAsync(oid));
    }

    /**
     * The names of the locks on an object.
     *
     * @param oid the object
     * @return a future of the names
     */
    public CompletableFuture<SortedSet<String>> listLocksAsync(String oid) {
        return locks.listLocksAsync(oid);
    }

    // ---- pool snapshots -------------------------------------------------------------------

    /**
     * Creates a snapshot of the whole pool (rados mksnap) and waits until the client's map has it.
     *
     * @param name the snapshot's name
     */
    public void snapCreate(String name) {
        client.awaitMon(snapCreateAsync(name));
    }

    /**
     * Creates a snapshot of the whole pool; the future completes once the client's map has it.
     *
     * @param name the snapshot's name
     * @return a future completed when the snapshot exists in our map
     */
    public CompletableFuture<Void> snapCreateAsync(String name) {
        return snaps.snapCreateAsync(name);
    }

    /**
     * Removes a pool snapshot.
     *
     * @param name the snapshot's name
     */
    public void snapRemove(String name) {
        client.awaitMon(snapRemoveAsync(name));
    }

    /**
     * Removes a pool snapshot; the future completes once the client's map no longer has it.
     *
     * @param name the snapshot's name
     * @return a future completed when done
     */
    public CompletableFuture<Void> snapRemoveAsync(String name) {
        return snaps.snapRemoveAsync(name);
    }

    /**
     * Pool snapshots by id, from the current map.
     *
     * @return the snapshots' names by id
     */
    public SortedMap<Long, String> snapList() {
        return snaps.snapList();
    }

    /**
     * The id of a pool snapshot.
     *
     * @param name the snapshot's name
     * @return its id
     * @throws RadosException.ObjectNotFoundException when the pool has no such snapshot
     */
    public long snapLookup(String name) {
        return snaps.snapLookup(name);
    }

    /**
     * Rolls one object back to a pool snapshot (rados rollback).
     *
     * @param oid the object
     * @param snapName the snapshot's name
     */
    public void snapRollback(String oid, String snapName) {
        await(snapRollbackAsync(oid, snapName));
    }

    /**
     * Rolls one object back to a pool snapshot.
     *
     * @param oid the object
     * @param snapName the snapshot's name
     * @return a future completed when done
     * @throws RadosException.ObjectNotFoundException at once when the pool has no such snapshot
     */
    public CompletableFuture<Void> snapRollbackAsync(String oid, String snapName) {
        return snaps.snapRollbackAsync(oid, snapName);
    }

    /**
     * Rolls one object back to a self-managed snapshot.
     *
     * @param oid the object
     * @param snapId the snapshot's id
     */
    public void selfManagedSnapRollback(String oid, long snapId) {
        await(selfManagedSnapRollbackAsync(oid, snapId));
    }

    /**
     * Rolls one object back to a self-managed snapshot.
     *
     * @param oid the object
     * @param snapId the snapshot's id
     * @return a future completed when done
     */
    public CompletableFuture<Void> selfManagedSnapRollbackAsync(String oid, long snapId) {
        return snaps.selfManagedSnapRollbackAsync(oid, snapId);
    }

    // ---- self-managed snapshots -----------------------------------------------------------

    /**
     * Allocates a self-managed snapshot id (librados selfmanaged_snap_create).
     *
     * @return the new id
     */
    public long selfManagedSnapCreate() {
        return client.awaitMon(selfManagedSnapCreateAsync());
    }

    /**
     * Allocates a self-managed snapshot id.
     *
     * @return a future of the new id
     */
    public CompletableFuture<Long> selfManagedSnapCreateAsync() {
        return snaps.selfManagedSnapCreateAsync();
    }

    /**
     * Removes a self-managed snapshot: the OSDs trim its clones.
     *
     * @param snapId the snapshot's id
     */
    public void selfManagedSnapRemove(long snapId) {
        client.awaitMon(selfManagedSnapRemoveAsync(snapId));
    }

    /**
     * Removes a self-managed snapshot.
     *
     * @param snapId the snapshot's id
     * @return a future completed when the monitor has removed it
     */
    public CompletableFuture<Void> selfManagedSnapRemoveAsync(long snapId) {
        return snaps.selfManagedSnapRemoveAsync(snapId);
    }

    // ---- watch / notify ---------------------------------------------------------------------

    /** Receives notifications on a watched object; what it returns is the ack's reply payload. */
    @FunctionalInterface
    public interface WatchListener {
        /**
         * One notification. Runs on the client's watch-notify thread, one at a time.
         *
         * @param notifyId the notification's id
         * @param notifierGid the instance id of the notifying client
         * @param payload what the notifier sent
         * @return the reply the notifier receives from this watcher (null for none)
         */
        byte[] onNotify(long notifyId, long notifierGid, byte[] payload);

        /** The OSD dropped the watch (DISCONNECT); re-watch to hear more. */
        default void onDisconnect() {
        }
    }

    /**
     * Watches {@code oid} (librados watch2). Each notification runs the listener off the I/O
     * thread and is acknowledged with its return value. The watch is kept registered across
     * session faults and primary changes until {@link #unwatch}, {@link #close()} or the client's
     * close. A listener that throws is logged at WARN and counted
     * ({@link RadosClientMXBean#getWatchListenerErrors()}); the notifier then receives an empty reply.
     *
     * @param oid the object
     * @param listener who hears the notifications
     * @return the watch's cookie, for {@link #unwatch}
     */
    public long watch(String oid, WatchListener listener) {
        return await(watchAsync(oid, listener));
    }

    /**
     * {@link #watch} without blocking.
     *
     * @param oid the object
     * @param listener who hears the notifications
     * @return a future of the watch's cookie, completed once the OSD has registered the watch
     */
    public CompletableFuture<Long> watchAsync(String oid, WatchListener listener) {
        return watchOps.watchAsync(oid, listener);
    }

    /**
     * How long ago the OSD last confirmed the watch (librados' watch_check): the registration or
     * the last ping it answered. Pings go every 5 s, so a healthy watch says less than that.
     *
     * @param cookie the cookie {@link #watch} returned
     * @return the time since the last confirmation
     * @throws RadosException.WatchBrokenException when the watch is broken (the OSD forgot it or
     *         its session failed; it is being registered again) or is not a watch of this client
     */
    public Duration watchCheck(long cookie) {
        return watchOps.watchCheck(cookie);
    }

    /**
     * Asks the OSD whether the watch is still connected (WATCH_OP_PING): ENOTCONN when it has
     * forgotten the watch, ETIMEDOUT when the watch lost its session; both mean register again.
     */
    CompletableFuture<OsdOpMessages.Reply> pingWatch(LingerManager.Linger l) {
        return watchOps.pingWatch(l);
    }

    /** Re-registers a watch after a fault or a primary change (WATCH_OP_RECONNECT). */
    CompletableFuture<OsdOpMessages.Reply> reconnectWatch(LingerManager.Linger l) {
        return watchOps.reconnectWatch(l);
    }

    /**
     * Removes the watch on the OSD only, keeping it registered here: what an OSD that lost the
     * watch without the client noticing looks like (tests of the ping that finds and mends it).
     */
    void dropOnOsdOnly(String oid, long cookie) {
        watchOps.dropOnOsdOnly(oid, cookie);
    }

    /** The client is closing: remove the watch on its OSD, waiting a few seconds at most. */
    void unwatchOnClose(LingerManager.Linger l) {
        watchOps.unwatchOnClose(l);
    }

    /**
     * Removes a watch.
     *
     * @param oid the watched object
     * @param cookie the cookie {@link #watch} returned
     */
    public void unwatch(String oid, long cookie) {
        await(unwatchAsync(oid, cookie));
    }

    /**
     * Removes a watch.
     *
     * @param oid the watched object
     * @param cookie the cookie {@link #watch} returned
     * @return a future completed when the OSD has removed it
     */
    public CompletableFuture<Void> unwatchAsync(String oid, long cookie) {
        return watchOps.unwatchAsync(oid, cookie);
    }

    /**
     * One watcher of an object, as list_watchers reports it (watch_item_t).
     *
     * @param name the watching client (client.N)
     * @param cookie the watch's cookie
     * @param timeoutSeconds after how long without a ping the OSD drops the watch
     * @param addr the watching client's address
     */
    public record Watcher(org.jceph.encoding.types.EntityName name, long cookie, int timeoutSeconds,
            org.jceph.encoding.types.EntityAddr addr) {
    }

    /**
     * One clone of an object (clone_info): the snaps it serves, its size, and what it shares with the next newer one.
     *
     * @param cloneId the clone's snap id, or {@link #HEAD} for the head
     * @param snaps the snapshots the clone serves
     * @param overlap the extents ({offset, length}) it shares with the next newer clone or the head
     * @param size its size
     */
    public record CloneInfo(long cloneId, List<Long> snaps, List<long[]> overlap, long size) {
        /** The head's clone id (CEPH_NOSNAP). */
        public static final long HEAD = -2L;
    }

    /**
     * An object's snap set (obj_list_snap_response_t).
     *
     * @param clones the clones, oldest first, the head last
     * @param seq the snap sequence number the object was last written under
     */
    public record SnapSet(List<CloneInfo> clones, long seq) {
    }

    /**
     * The object's clones and overlaps (librados' list_snaps, read at CEPH_SNAPDIR).
     *
     * @param oid the object
     * @return the snap set, or null when the object has neither a head nor a clone
     */
    public SnapSet listSnaps(String oid) {
        return await(listSnapsAsync(oid));
    }

    /**
     * {@link #listSnaps} without blocking.
     *
     * @param oid the object
     * @return a future of the snap set; it completes with null when the object has neither a head nor a clone
     */
    public CompletableFuture<SnapSet> listSnapsAsync(String oid) {
        return snaps.listSnapsAsync(oid);
    }

    /**
     * {@link #statOrNull} without blocking.
     *
     * @param oid the object
     * @return a future of the stat, completed with null when the object does not exist
     */
    public CompletableFuture<ObjectStat> statOrNullAsync(String oid) {
        return dataOps.statOrNullAsync(oid);
    }

    /**
     * The object's watchers (CEPH_OSD_OP_LIST_WATCHERS, what {@code rados listwatchers} prints).
     *
     * @param oid the object
     * @return the watchers
     */
    public List<Watcher> listWatchers(String oid) {
        return await(listWatchersAsync(oid));
    }

    /**
     * The object's watchers (CEPH_OSD_OP_LIST_WATCHERS).
     *
     * @param oid the object
     * @return a future of the watchers
     */
    public CompletableFuture<List<Watcher>> listWatchersAsync(String oid) {
        return watchOps.listWatchersAsync(oid);
    }

    /**
     * One watch, as a notify names it: the watching client's instance id (gid) and the watch's cookie.
     *
     * @param gid the watching client's instance id (client.GID)
     * @param cookie the watch's cookie
     */
    public record WatcherId(long gid, long cookie) {
    }

    /**
     * What a notify gathered.
     *
     * @param replies each watcher's reply, by watch, in the OSD's order
     * @param timedOut each watch that did not acknowledge in time
     */
    public record NotifyResult(Map<WatcherId, byte[]> replies, List<WatcherId> timedOut) {
    }

    /**
     * Notifies every watcher of {@code oid} and waits (at most {@code timeoutSeconds} plus slack)
     * until each acknowledged or timed out.
     *
     * @param oid the object
     * @param payload what the watchers receive
     * @param timeoutSeconds how long the OSD waits for the watchers' acks, positive
     * @return the replies and the watchers that timed out
     */
    public NotifyResult notify(String oid, byte[] payload, int timeoutSeconds) {
        return client.await(notifyAsync(oid, payload, timeoutSeconds), Duration.ofSeconds(timeoutSeconds + 10L));
    }

    /**
     * {@link #notify} without blocking. The future fails with {@link RadosException.TimeoutException}
     * when no completion arrives within {@code timeoutSeconds} plus 10 s after the OSD took the notify.
     *
     * @param oid the object
     * @param payload what the watchers receive
     * @param timeoutSeconds how long the OSD waits for the watchers' acks, positive
     * @return a future of the replies and the watchers that timed out
     */
    public CompletableFuture<NotifyResult> notifyAsync(String oid, byte[] payload, int timeoutSeconds) {
        return watchOps.notifyAsync(oid, payload, timeoutSeconds);
    }

    static NotifyResult decodeNotifyResult(byte[] data) {
        return WatchNotifyOps.decodeNotifyResult(data);
    }

    // ---- compound operations ------------------------------------------------------------------

    /**
     * Runs a compound op atomically on one object: all its steps succeed or none applies.
     *
     * @param oid the object
     * @param operation the steps
     * @return each step's output and return value, and the object's version
     * @throws IllegalArgumentException when the operation has no steps, or mixes writes with
     *         reads that return data (see {@link Operation})
     */
    public OperationResult operate(String oid, Operation operation) {
        return await(operateAsync(oid, operation));
    }

    /**
     * {@link #operate} without blocking; the future fails with the typed {@link RadosException}.
     *
     * @param oid the object
     * @param operation the steps
     * @return a future of the steps' results
     * @throws IllegalArgumentException at once when the operation has no steps, or mixes writes
     *         with reads that return data
     */
    public CompletableFuture<OperationResult> operateAsync(String oid, Operation operation) {
        return compound.operateAsync(oid, operation);
    }

    /**
     * Runs a {@link ReadOperation} atomically on the object; each step's {@link StepResult} is
     * filled when this returns.
     *
     * @param oid the object
     * @param operation the steps
     * @return the object's user version
     * @throws IllegalOperationException when the operation has no steps
     */
    public long operate(String oid, ReadOperation operation) {
        return await(operateAsync(oid, operation));
    }

    /**
     * {@link #operate(String, ReadOperation)} without blocking: the step results are filled
     * before the future completes.
     *
     * @param oid the object
     * @param operation the steps
     * @return a future of the object's user version
     */
    public CompletableFuture<Long> operateAsync(String oid, ReadOperation operation) {
        return compound.operateAsync(oid, operation);
    }

    /**
     * Runs a {@link WriteOperation} atomically on the object: all its steps apply or none.
     *
     * @param oid the object
     * @param operation the steps
     * @return the object's user version after the write
     * @throws IllegalOperationException when the operation has no steps, or only guards
     */
    public long operate(String oid, WriteOperation operation) {
        return await(operateAsync(oid, operation));
    }

    /**
     * {@link #operate(String, WriteOperation)} without blocking.
     *
     * @param oid the object
     * @param operation the steps
     * @return a future of the object's user version after the write
     */
    public CompletableFuture<Long> operateAsync(String oid, WriteOperation operation) {
        return compound.operateAsync(oid, operation);
    }

    /**
     * The I/O context of another pool of the same client (a clone's parent may live elsewhere).
     *
     * @param otherPoolId the other pool's id
     * @return a new context on that pool
     */
    public IoCtx forPool(long otherPoolId) {
        return client.ioCtx(otherPoolId);
    }

    /**
     * The I/O context of another pool of the same client, by name.
     *
     * @param otherPoolName the other pool's name
     * @return a new context on that pool
     * @throws RadosException.PoolNotFoundException when there is no such pool
     */
    public IoCtx forPool(String otherPoolName) {
        return client.ioCtx(otherPoolName);
    }

    /**
     * Per-step outputs and return values, and the object's version after the op.
     *
     * @param outputs each step's output, in step order (empty for steps without one)
     * @param returnValues each step's return value
     * @param version the object's user version after the op
     */
    public record OperationResult(List<byte[]> outputs, List<Integer> returnValues, long version) {
    }

    /**
     * A compound operation (librados' ObjectReadOperation / ObjectWriteOperation): steps run in
     * order on one object, in one message, atomically.
     *
     * <p>An operation is either a read (only steps that do not modify the object; each step's
     * output comes back) or a write (modifying steps, plus guards such as {@link #assertExists},
     * {@link #assertVersion}, {@link #cmpXattr} and {@link #exec}, whose outputs the OSD does not
     * return). A write mixed with a step that returns data ({@link #read}, {@link #getXattr},
     * {@link #getXattrs}, {@link #omapGetVals}) is refused with an {@link IllegalArgumentException}
     * when it is run, as librados' separate op types refuse it, rather than run with empty outputs.
     *
     * @deprecated use {@link ReadOperation} or {@link WriteOperation}, whose steps give typed results
     */
    @Deprecated(since = "0.1.0")
    public static final class Operation extends WriteSteps<Operation> {
        /** An empty operation: add steps with the builder methods. */
        public Operation() {
        }

        /** Refuses an empty operation and a write that would lose the outputs of its reads. */
        void check() {
            CompoundOps.check(this);
        }

        /**
         * As {@link #cmpXattr(String, Comparison, byte[])} with librados' number of the comparison.
         *
         * @param name the attribute
         * @param op 1 EQ, 2 NE, 3 GT, 4 GTE, 5 LT, 6 LTE
         * @param value the value to compare with
         * @return this operation
         */
        public Operation cmpXattr(String name, int op, byte[] value) {
            return cmpXattr(name, Comparison.of(op), value);
        }

        /**
         * Reads an extent; the step's output holds the bytes.
         *
         * @param offset where, not negative
         * @param length how many bytes at most, not negative (0: to the end)
         * @return this operation
         */
        public Operation read(long offset, long length) {
            return step("read", readStep(offset, length));
        }

        /**
         * Reads an extended attribute; the step's output holds its value.
         *
         * @param name the attribute
         * @return this operation
         */
        public Operation getXattr(String name) {
            return step("getXattr", getXattrStep(name));
        }

        /**
         * Reads every xattr; decode the step's output with {@link #decodeXattrs}.
         *
         * @return this operation
         */
        public Operation getXattrs() {
            return step("getXattrs", OsdOp.getXattrs());
        }

        /**
         * Reads up to {@code max} omap entries; decode the step's output with {@link #decodeOmapVals}.
         *
         * @param startAfter the key to start after ("" from the first)
         * @param prefix the keys' prefix ("" for any)
         * @param max how many at most, not negative
         * @return this operation
         */
        public Operation omapGetVals(String startAfter, String prefix, long max) {
            return step("omapGetVals", omapGetValsStep(startAfter, prefix, max));
        }

        /**
         * The output of a {@link #getXattrs()} step, by name.
         *
         * @param output the step's output
         * @return the attributes by name
         */
        public static SortedMap<String, byte[]> decodeXattrs(byte[] output) {
            return AttrOps.decodeXattrs(output);
        }

        /**
         * The entries in the output of an {@link #omapGetVals} step (the "more" flag is not returned).
         *
         * @param output the step's output
         * @return the entries by key
         */
        public static SortedMap<String, byte[]> decodeOmapVals(byte[] output) {
            return AttrOps.decodeOmapVals(output);
        }
    }

    /**
     * The object's current version (librados' user version).
     *
     * @param oid the object
     * @return the version
     */
    public long version(String oid) {
        return await(versionAsync(oid));
    }

    /**
     * The object's current version (librados' user version).
     *
     * @param oid the object
     * @return a future of the version; it fails with {@link RadosException.ObjectNotFoundException}
     *         when the object does not exist
     */
    public CompletableFuture<Long> versionAsync(String oid) {
        return dataOps.versionAsync(oid);
    }

    /**
     * Extents that hold data in a range, and their bytes concatenated.
     *
     * @param extents offset to length of each extent with data
     * @param data the extents' bytes, one after the other
     */
    public record SparseRead(SortedMap<Long, Long> extents, byte[] data) {
    }

    /**
     * Reads the extents that hold data in [offset, offset+length).
     *
     * @param oid the object
     * @param offset where, not negative
     * @param length how many bytes, not negative
     * @return the extents and their data
     */
    public SparseRead sparseRead(String oid, long offset, long length) {
        return await(sparseReadAsync(oid, offset, length));
    }

    /**
     * Reads the extents that hold data in [offset, offset+length).
     *
     * @param oid the object
     * @param offset where, not negative
     * @param length how many bytes, not negative
     * @return a future of the extents and their data
     */
    public CompletableFuture<SparseRead> sparseReadAsync(String oid, long offset, long length) {
        return dataOps.sparseReadAsync(oid, offset, length);
    }

    /**
     * Removes the watches registered through this context (each bounded by a few seconds) and
     * makes the context unusable. Calling it again does nothing; so does calling it after the
     * client's close.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client.isClosed()) {
            return;
        }
        for (Long cookie : Set.copyOf(watches.keySet())) {
            LingerManager.Linger l = client.lingers.get(cookie);
            if (l != null) {
                try {
                    unwatchOnClose(l);
                } catch (RuntimeException e) {
                    // best effort: the OSD drops the watch after its timeout
                }
            }
        }
        watches.clear();
    }
}
