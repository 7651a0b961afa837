package org.jceph.rbd.format1;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.layout.StripingLayout;

/**
 * An RBD format 1 image, the format of the 2010 qemu driver: the packed header in object
 * {@code NAME.rbd} ({@link Format1Header}, version 001.005), data objects
 * {@code <block_name>.%012x} of 2^order bytes with no striping, and an entry for the name in
 * {@code rbd_directory}'s tmap (the object's data, not its omap, which format 2 uses).
 * Snapshots are pool-level self-managed snaps recorded in the header through the old cls_rbd
 * methods {@code snap_add}, {@code snap_remove} and {@code snap_list}.
 *
 * <p>Current librbd still opens, reads, writes, snapshots and removes such images, but can no
 * longer create them; this class can.
 */
public final class Format1Image implements org.jceph.rbd.Image {
    /**
     * The pool's directory object, whose tmap lists format 1 images.
     */
    public static final String DIRECTORY = "rbd_directory";
    /** The object whose counter hands out block name ids (cls_rbd assign_bid). */
    public static final String INFO = "rbd_info";
    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;
    private static final int TMAP_SET = 's';
    private static final int TMAP_RM = 'r';
    private static final long MAX_HEADER = 16L << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IoCtx io;
    private final String name;
    private final boolean readOnly;
    private final long snapId;
    private volatile Format1Header header;

    private Format1Image(IoCtx io, String name, Format1Header header, boolean readOnly, long snapId) {
        this.io = io;
        this.name = name;
        this.header = header;
        this.readOnly = readOnly;
        this.snapId = snapId;
    }

    /**
     * Creates a format 1 image: a block name from the pool's {@code rbd_info} counter (as the
     * original librbd did), the header object (exclusively: an existing image is never
     * overwritten), then the directory entry.
     *
     * @param io the pool
     * @param name the image's name
     * @param size its size in bytes
     * @param order log2 of its object size
     * @throws RbdException.ImageExistsException when the pool has an image of that name
     */
    public static void create(IoCtx io, String name, long size, int order) {
        if (name.isEmpty() || name.contains("/") || name.contains("@")) {
            throw new RbdException("invalid image name '" + name + "'");
        }
        if (order < Format1Header.MIN_ORDER || order > Format1Header.MAX_ORDER) {
            throw new RbdException("order " + order + " is outside " + Format1Header.MIN_ORDER + ".."
                    + Format1Header.MAX_ORDER);
        }
        if (size < 0) {
            throw new RbdException("negative size " + size);
        }
        if (io.statOrNull("rbd_id." + name) != null) {
            throw new RbdException.ImageExistsException("image " + name + " already exists in pool " + io.poolName());
        }
        long bid = assignBid(io);
        String blockName = String.format("rb.%x.%x.%x", bid >>> 32, bid & 0xffffffffL, RANDOM.nextInt() & 0x7fffffff);
        Format1Header h = new Format1Header(blockName, order, size, 0, List.of());
        try {
            io.operate(Format1Header.headerObject(name), new IoCtx.Operation().create(true).writeFull(h.encode()));
        } catch (RadosException.ObjectExistsException e) {
            throw new RbdException.ImageExistsException("image " + name + " already exists in pool " + io.poolName());
        }
        io.tmapUpdate(DIRECTORY, tmapCommand(TMAP_SET, name, true));
    }

    /**
     * The original librbd took block ids from cls_rbd {@code assign_bid} on {@code rbd_info}; Pacific's
     * OSDs answer that method with EOPNOTSUPP, so a random 31-bit id is used instead (the block
     * name also carries 31 random bits, as it always did).
     */
    private static long assignBid(IoCtx io) {
        try {
            byte[] out = io.exec(INFO, "rbd", "assign_bid", new byte[0]);
            return CephDecoder.of(out, "assign_bid").readU64Le();
        } catch (RadosException e) {
            if (e.errno() != Errno.EOPNOTSUPP.negative() && e.errno() != Errno.ENOENT.negative()) {
                throw e;
            }
            return RANDOM.nextInt() & 0x7fffffffL;
        }
    }

    private static byte[] tmapCommand(int op, String key, boolean withValue) {
        return encode(e -> {
            e.writeU8(op).writeString(key);
            if (withValue) {
                e.writeBlob(new byte[0]);
            }
        });
    }

    /**
     * True when {@code name} is a format 1 image in this pool.
     *
     * @param io the pool
     * @param name the image's name
     * @return true when its header exists
     */
    public static boolean exists(IoCtx io, String name) {
        return io.statOrNull(Format1Header.headerObject(name)) != null;
    }

    /**
     * The format 1 images listed in the directory's tmap, sorted.
     *
     * @param io the pool
     * @return the images' names
     */
    public static List<String> list(IoCtx io) {
        IoCtx.ObjectStat st = io.statOrNull(DIRECTORY);
        if (st == null || st.size() == 0) {
            return List.of();
        }
        byte[] data = io.read(DIRECTORY, 0, (int) Math.min(st.size(), MAX_HEADER));
        CephDecoder d = CephDecoder.of(data, "rbd_directory tmap");
        try {
            d.readBlob(); // tmap header
            List<String> names = new ArrayList<>(d.readMap(8, CephDecoder::readString, CephDecoder::readBlob).keySet());
            names.sort(Comparator.naturalOrder());
            return names;
        } catch (DecodeException e) {
            throw new RbdException("rbd_directory's tmap does not decode: " + e.getMessage());
        }
    }

    /**
     * Opens a format 1 image (format 1 has no locking: the caller keeps writers apart).
     *
     * @param io the pool
     * @param name the image's name
     * @param readOnly open for reading only
     * @return the open image
     */
    public static Format1Image open(IoCtx io, String name, boolean readOnly) {
        IoCtx own = io.duplicate();
        Format1Header h = readHeader(own, name);
        if (!readOnly) {
            own.setSelfManagedSnapWriteContext(snapContext(h));
        }
        return new Format1Image(own, name, h, readOnly, NOSNAP);
    }

    private static Format1Header readHeader(IoCtx io, String name) {
        String oid = Format1Header.headerObject(name);
        IoCtx.ObjectStat st = io.statOrNull(oid);
        if (st == null) {
            throw new RbdException("no format 1 image " + name + " in pool " + io.poolName());
        }
        if (st.size() > MAX_HEADER) {
            throw new RbdException("header " + oid + " is " + st.size() + " bytes: not a format 1 header");
        }
        try {
            return Format1Header.decode(io.read(oid, 0, (int) st.size()));
        } catch (DecodeException | IllegalArgumentException e) {
            throw new RbdException("header " + oid + " is not a valid format 1 header: " + e.getMessage());
        }
    }

    private static SnapContext snapContext(Format1Header h) {
        List<Long> ids = new ArrayList<>();
        for (Format1Header.Snap s : h.snaps()) {
            ids.add(s.id());
        }
        ids.sort(Comparator.reverseOrder());
        return new SnapContext(h.snapSeq(), ids);
    }

    /**
     * The image's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The header as last read.
     *
     * @return the header
     */
    public Format1Header header() {
        return header;
    }

    /**
     * The image's size (at the snapshot, for a snapshot's view).
     *
     * @return the size in bytes
     */
    public long size() {
        if (snapId != NOSNAP) {
            for (Format1Header.Snap s : header.snaps()) {
                if (s.id() == snapId) {
                    return s.imageSize();
                }
            }
        }
        return header.imageSize();
    }

    /**
     * log2 of the object size.
     *
     * @return the order
     */
    public int order() {
        return header.order();
    }

    /**
     * The data objects' name prefix.
     *
     * @return the block name
     */
    public String blockName() {
        return header.blockName();
    }

    private StripingLayout layout() {
        return StripingLayout.ofOrder(header.order());
    }

    /**
     * Data object {@code n}: the block name and twelve hex digits.
     *
     * @param n the object's number
     * @return its name
     */
    public String object(long n) {
        return String.format("%s.%012x", header.blockName(), n);
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size() - length) {
            throw new RbdException("range " + offset + "+" + length + " is outside the image (" + size() + " bytes)");
        }
    }

    private void checkWritable() {
        if (readOnly || snapId != NOSNAP) {
            throw new RbdException("image " + name + " is open read-only");
        }
    }

    /**
     * Reads {@code length} bytes at {@code offset}; absent objects read as zeros.
     *
     * @param offset where to read
     * @param length how many bytes
     * @return a future of the bytes
     */
    public CompletableFuture<byte[]> readAsync(long offset, int length) {
        checkRange(offset, length);
        byte[] out = new byte[length];
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : Striper.fileToExtents(layout(), offset, length)) {
            parts.add(io.readAsync(object(x.objectNumber()), x.offset(), (int) x.length()).handle((data, err) -> {
                if (err != null) {
                    Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (c instanceof RadosException.ObjectNotFoundException) {
                        return null;
                    }
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                long bufOff = x.bufferExtents().get(0)[0];
                System.arraycopy(data, 0, out, (int) bufOff, Math.min(data.length, (int) x.length()));
                return null;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> out);
    }

    /**
     * Writes {@code data} at {@code offset}.
     *
     * @param offset where to write
     * @param data what to write
     * @return a future completed when the OSDs have it durably
     */
    public CompletableFuture<Void> writeAsync(long offset, byte[] data) {
        checkWritable();
        checkRange(offset, data.length);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : Striper.fileToExtents(layout(), offset, data.length)) {
            int from = (int) x.bufferExtents().get(0)[0];
            byte[] piece = java.util.Arrays.copyOfRange(data, from, from + (int) x.length());
            parts.add(io.writeAsync(object(x.objectNumber()), x.offset(), piece));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /**
     * Whole objects are removed, partial ones zeroed.
     *
     * @param offset where the range starts
     * @param length its length
     * @return a future completed when done
     */
    public CompletableFuture<Void> discardAsync(long offset, long length) {
        checkWritable();
        checkRange(offset, length);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : Striper.fileToExtents(layout(), offset, length)) {
            String obj = object(x.objectNumber());
            CompletableFuture<Void> op = x.offset() == 0 && x.length() == layout().objectSize() ? io.removeAsync(obj)
                    : io.zeroAsync(obj, x.offset(), x.length());
            parts.add(ignoreMissing(op));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /**
     * Resizes: shrinking removes the objects past the new end and truncates the straddling one
     * first; then the header's image_size is rewritten in place, guarded by the header's version
     * so that a concurrent snapshot is never overwritten.
     *
     * @param newSize the new size in bytes
     */
    public void resize(long newSize) {
        checkWritable();
        if (newSize < 0) {
            throw new RbdException("negative size " + newSize);
        }
        Format1Header h = readHeader(io, name);
        long objSize = h.objectSize();
        if (newSize < h.imageSize()) {
            long firstGone = (newSize + objSize - 1) / objSize;
            long last = (h.imageSize() + objSize - 1) / objSize;
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (long n = firstGone; n < last; n++) {
                parts.add(ignoreMissing(io.removeAsync(object(n))));
            }
            if (newSize % objSize != 0) {
                parts.add(ignoreMissing(io.zeroAsync(object(newSize / objSize), newSize % objSize,
                        objSize - newSize % objSize)));
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        }
        String oid = Format1Header.headerObject(name);
        long version = io.version(oid);
        Format1Header updated = new Format1Header(h.blockName(), h.order(), newSize, h.snapSeq(), h.snaps());
        byte[] fixed = java.util.Arrays.copyOf(updated.encode(), org.jceph.encoding.packed.CephStructs.RBD_OBJ_HEADER_ONDISK.size());
        try {
            io.operate(oid, new IoCtx.Operation().assertVersion(version).write(0, fixed));
        } catch (RadosException e) {
            throw new RbdException("header of " + name + " changed during resize; retry: " + e.getMessage());
        }
        header = readHeader(io, name);
    }

    private static CompletableFuture<Void> ignoreMissing(CompletableFuture<Void> f) {
        return f.exceptionally(err -> {
            Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (c instanceof RadosException.ObjectNotFoundException) {
                return null;
            }
            throw c instanceof RuntimeException re ? re : new CompletionException(c);
        });
    }

    /**
     * Snapshot names and ids as recorded in the header (cls_rbd snap_list).
     *
     * @return the snapshots
     */
    public List<Format1Header.Snap> snapshots() {
        byte[] out = io.exec(Format1Header.headerObject(name), "rbd", "snap_list", new byte[0]);
        CephDecoder d = CephDecoder.of(out, "snap_list");
        d.readU64Le(); // snap_seq
        int n = d.readCountLe("snaps", 20);
        List<Format1Header.Snap> snaps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            snaps.add(new Format1Header.Snap(d.readU64Le(), d.readU64Le(), d.readString()));
        }
        return snaps;
    }

    /**
     * A self-managed snap id from the pool, recorded in the header with cls_rbd snap_add.
     *
     * @param snapName the snapshot's name
     */
    public void snapCreate(String snapName) {
        checkWritable();
        long id = io.selfManagedSnapCreate();
        io.exec(Format1Header.headerObject(name), "rbd", "snap_add",
                encode(e -> e.writeString(snapName).writeU64Le(id)));
        header = readHeader(io, name);
        io.setSelfManagedSnapWriteContext(snapContext(header));
    }

    /**
     * Removes a snapshot from the header and its snap id from the pool.
     *
     * @param snapName the snapshot's name
     */
    public void snapRemove(String snapName) {
        checkWritable();
        long id = snapIdOf(snapName);
        io.exec(Format1Header.headerObject(name), "rbd", "snap_remove", encode(e -> e.writeString(snapName)));
        io.selfManagedSnapRemove(id);
        header = readHeader(io, name);
        io.setSelfManagedSnapWriteContext(snapContext(header));
    }

    /**
     * Rolls every object back to the snapshot, then the size.
     *
     * @param snapName the snapshot's name
     */
    public void snapRollback(String snapName) {
        checkWritable();
        long id = snapIdOf(snapName);
        long snapSize = header.snaps().stream().filter(s -> s.id() == id).findFirst().orElseThrow().imageSize();
        long objSize = header.objectSize();
        long objects = (Math.max(snapSize, header.imageSize()) + objSize - 1) / objSize;
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long n = 0; n < objects; n++) {
            parts.add(io.selfManagedSnapRollbackAsync(object(n), id));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        if (snapSize != header.imageSize()) {
            resize(snapSize);
        }
    }

    private long snapIdOf(String snapName) {
        for (Format1Header.Snap s : readHeader(io, name).snaps()) {
            if (s.name().equals(snapName)) {
                return s.id();
            }
        }
        throw new RbdException("no snapshot " + snapName + " on image " + name);
    }

    /**
     * A read-only view of the image as it was at snapshot {@code snapName}.
     *
     * @param snapName the snapshot's name
     * @return the read-only view
     */
    public Format1Image atSnapshot(String snapName) {
        long id = snapIdOf(snapName);
        IoCtx snapIo = io.duplicate();
        snapIo.setReadSnap(id);
        return new Format1Image(snapIo, name, header, true, id);
    }

    /**
     * Removes an image without snapshots (librbd refuses the same): data objects, header, and
     * the directory entry.
     *
     * @param io the pool
     * @param name the image's name
     */
    public static void remove(IoCtx io, String name) {
        Format1Header h = readHeader(io, name);
        if (!h.snaps().isEmpty()) {
            throw new RbdException("image " + name + " has snapshots: remove them first");
        }
        long objSize = h.objectSize();
        long objects = (h.imageSize() + objSize - 1) / objSize;
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long n = 0; n < objects; n++) {
            parts.add(ignoreMissing(io.removeAsync(String.format("%s.%012x", h.blockName(), n))));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        io.remove(Format1Header.headerObject(name));
        io.tmapUpdate(DIRECTORY, tmapCommand(TMAP_RM, name, false));
    }

    private static byte[] encode(java.util.function.Consumer<CephEncoder> body) {
        return CephEncoder.toBytes(body);
    }

    /**
     * The on-disk format: 1.
     *
     * @return 1
     */
    @Override
    public int format() {
        return 1;
    }

    /**
     * Whether writes are refused: opened read-only, or a snapshot view.
     *
     * @return true when read-only
     */
    @Override
    public boolean readOnly() {
        return readOnly || snapId != NOSNAP;
    }

    /**
     * {@link #writeAsync(long, byte[])}: a format 1 image has no cache, so every write is durable
     * when it completes, FUA or not.
     *
     * @param offset where
     * @param data the bytes
     * @param fua ignored: always durable
     * @return a future completed when the OSDs have the data
     */
    @Override
    public CompletableFuture<Void> writeAsync(long offset, byte[] data, boolean fua) {
        return writeAsync(offset, data);
    }

    /**
     * Completes at once: the OSDs acknowledge format 1 writes only once they are durable.
     *
     * @return a completed future
     */
    @Override
    public CompletableFuture<Void> flushAsync() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        // nothing held: writes complete before their futures do
    }

    @Override
    public String toString() {
        return "Format1Image[" + io.poolName() + "/" + name + ", " + header.blockName() + ", " + size() + " bytes]";
    }
}
