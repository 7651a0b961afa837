package org.jceph.rbd;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The rbd tool's incremental diff stream ({@code rbd export-diff}, {@code import-diff},
 * {@code merge-diff}), in both of its forms:
 * <ul>
 *   <li><b>v1</b> ("rbd diff v1\n"): a tag byte, then the record's fields;</li>
 *   <li><b>v2</b> ("rbd diff v2\n", inside {@code export --export-format 2}): a tag byte, a u64
 *       length of what follows, then the fields (the end tag has no length).</li>
 * </ul>
 * Records (integers little-endian, strings as u32 length and bytes): {@code 'f'} from-snapshot
 * name, {@code 't'} to-snapshot name, {@code 'p'} (v2 only, with a to-snapshot) whether that
 * snapshot is protected (one byte, though Pacific declares its length as 8; Quincy on say 1), {@code 's'} image size at the end point (u64), {@code 'w'}
 * offset, length and the data, {@code 'z'} offset and length to zero, {@code 'e'} the end.
 *
 * <p>As the stock tool writes it: the header, then one record per changed extent in image order
 * (the extents of {@link ImageDiff}, which follows librbd's diff_iterate with its parent
 * read-through), a data extent that reads back all zeroes written as {@code 'z'}, then {@code 'e'}.
 */
public final class DiffStream {
    private DiffStream() {
    }

    public static final String BANNER_V1 = "rbd diff v1\n";
    public static final String BANNER_V2 = "rbd diff v2\n";

    static final int TAG_FROM = 'f';
    static final int TAG_TO = 't';
    static final int TAG_PROTECTED = 'p';
    static final int TAG_SIZE = 's';
    static final int TAG_WRITE = 'w';
    static final int TAG_ZERO = 'z';
    static final int TAG_END = 'e';

    /** The stock import-diff's default --sparse-size: zero runs of this granularity are written as zeroes. */
    public static final int DEFAULT_SPARSE_SIZE = 4096;

    /** How many extent reads or writes are in flight at once (rbd_concurrent_management_ops is 10). */
    private static final int WINDOW = 10;

    /** Progress as the stock tool reports it: a position out of a total (a {@link ProgressListener}). */
    @FunctionalInterface
    public interface Progress extends ProgressListener {
        /** A progress that ignores every report. */
        Progress NONE = (d, t) -> { };
    }

    /** A diff stream that cannot be parsed (bad banner, truncated, oversized string): EINVAL/EBADMSG in the stock tool. */
    public static final class MalformedDiffException extends RbdException {
        private static final long serialVersionUID = 1L;

        public MalformedDiffException(String message) {
            super(message);
        }
    }

    /** import-diff's start snapshot is not on the target image (the stock tool: EINVAL). */
    public static final class StartSnapshotMissingException extends RbdException {
        private static final long serialVersionUID = 1L;

        public StartSnapshotMissingException(String snap) {
            super("start snapshot '" + snap + "' does not exist in the image, aborting");
        }
    }

    /** import-diff's end snapshot already exists on the target image (the stock tool: EEXIST). */
    public static final class EndSnapshotExistsException extends RbdException {
        private static final long serialVersionUID = 1L;

        public EndSnapshotExistsException(String snap) {
            super("end snapshot '" + snap + "' already exists, aborting");
        }
    }

    // ---- export-diff ------------------------------------------------------------------------

    /** The first release whose tool declares the v2 protection record's length as 1 (not 8). */
    static final int RELEASE_PROTECTED_LENGTH_1 = 17;

    /** The length the cluster's release declares for the v2 {@code 'p'} record (by require_osd_release). */
    static long protectedLength(RbdImage view) {
        return view.io.client().osdMap().requireOsdRelease() >= RELEASE_PROTECTED_LENGTH_1 ? 1 : 8;
    }

    /**
     * Writes the diff of {@code view} (an image handle, at HEAD or opened at snapshot
     * {@code endSnap}) since {@code fromSnap} (null: since the beginning).
     *
     * @param format 1 or 2
     */
    public static void export(RbdImage view, String fromSnap, String endSnap, boolean wholeObject, int format,
                              OutputStream out, Progress progress) throws IOException {
        if (format != 1 && format != 2) {
            throw new RbdException("diff format must be 1 or 2, not " + format);
        }
        long size = view.size();
        Enc h = new Enc();
        h.raw((format == 1 ? BANNER_V1 : BANNER_V2).getBytes(StandardCharsets.US_ASCII));
        if (fromSnap != null) {
            h.tag(TAG_FROM, format, 4L + utf8(fromSnap).length).string(fromSnap);
        }
        if (endSnap != null) {
            h.tag(TAG_TO, format, 4L + utf8(endSnap).length).string(endSnap);
            if (format == 2) {
                // one byte, whose length Pacific's tool declares as 8 and Quincy's on as 1 (Ceph
                // tracker 53243): we write what the cluster's own release writes; readers on
                // either side take one byte whatever the length says
                h.tag(TAG_PROTECTED, format, protectedLength(view)).u8(view.isProtected(endSnap) ? 1 : 0);
            }
        }
        h.tag(TAG_SIZE, format, 8).u64(size);
        out.write(h.bytes());
        List<ImageDiff.Extent> extents = view.diff(fromSnap, wholeObject);
        ArrayDeque<CompletableFuture<byte[]>> reads = new ArrayDeque<>();
        int next = 0;
        for (int i = 0; i < extents.size(); i++) {
            while (next < extents.size() && next - i < WINDOW) {
                ImageDiff.Extent x = extents.get(next++);
                reads.add(x.exists() ? readWhole(view, x.offset(), x.length())
                        : CompletableFuture.completedFuture(null));
            }
            ImageDiff.Extent x = extents.get(i);
            byte[] data = RbdImage.awaitIo(reads.poll(), "a read of export-diff");
            boolean exists = data != null && !isZero(data, 0, data.length);
            Enc r = new Enc();
            r.tag(exists ? TAG_WRITE : TAG_ZERO, format, exists ? 16 + x.length() : 16).u64(x.offset()).u64(x.length());
            out.write(r.bytes());
            if (exists) {
                out.write(data);
            }
            progress.update(x.offset(), size);
        }
        out.write(TAG_END);
        out.flush();
    }

    private static CompletableFuture<byte[]> readWhole(RbdImage img, long offset, long length) {
        if (length > Integer.MAX_VALUE - 16) {
            return CompletableFuture.failedFuture(new RbdException("extent of " + length + " bytes is too large to buffer"));
        }
        return img.readAsync(offset, (int) length);
    }

    // ---- import-diff ------------------------------------------------------------------------

    /** What an import-diff did. */
    public record ImportResult(String fromSnap, String toSnap, long size, boolean protectedSnap) {
    }

    /**
     * Applies a diff stream (either form, told by its banner) to {@code img}'s HEAD: checks the
     * start snapshot exists and the end one does not, resizes, writes and zeroes (a written
     * extent's runs of {@code sparseSize} zero bytes become zeroing, as the stock tool's
     * --sparse-size; 0 writes everything), then creates (and protects, when v2 says so) the end
     * snapshot.
     *
     * @param streamLength the stream's length for progress (by stream position), or -1 for a pipe
     *                     (progress by image offset)
     */
    public static ImportResult apply(RbdImage img, InputStream in, int sparseSize, long streamLength,
                                     Progress progress) throws IOException {
        Reader r = new Reader(in);
        int format = r.banner();
        String from = null;
        String to = null;
        boolean prot = false;
        long size = img.size();
        long total = streamLength;
        ArrayDeque<CompletableFuture<Void>> inflight = new ArrayDeque<>();
        for (int tag = r.nextTag(format); tag != TAG_END; tag = r.nextTag(format)) {
            long len = r.recordLength;
            switch (tag) {
                case TAG_FROM -> {
                    from = r.string();
                    String f = from;
                    if (img.snapshots().stream().noneMatch(s -> s.name().equals(f))) {
                        throw new StartSnapshotMissingException(from);
                    }
                }
                case TAG_TO -> {
                    to = r.string();
                    String t = to;
                    if (img.snapshots().stream().anyMatch(s -> s.name().equals(t))) {
                        throw new EndSnapshotExistsException(to);
                    }
                }
                case TAG_PROTECTED -> prot = r.u8() != 0;
                case TAG_SIZE -> {
                    size = r.u64();
                    drain(inflight, 0);
                    if (img.size() != size) {
                        img.resize(size);
                    }
                    if (streamLength < 0) {
                        total = size;
                    }
                }
                case TAG_WRITE, TAG_ZERO -> {
                    long off = r.u64();
                    long n = r.u64();
                    if (off < 0 || n < 0 || off + n > img.size() || off + n < off) {
                        throw new MalformedDiffException("extent " + off + "~" + n + " is outside the image of "
                                + img.size() + " bytes");
                    }
                    if (tag == TAG_ZERO) {
                        drain(inflight, WINDOW - 1);
                        inflight.add(img.writeZeroesAsync(off, n));
                    } else {
                        if (n > Integer.MAX_VALUE - 16) {
                            throw new MalformedDiffException("write record of " + n + " bytes is too large");
                        }
                        byte[] data = r.bytes((int) n);
                        int pos = 0;
                        while (pos < data.length) {
                            int[] run = sparseRun(data, pos, sparseSize);
                            drain(inflight, WINDOW - 1);
                            if (run[1] == 1) {
                                inflight.add(img.writeZeroesAsync(off + pos, run[0]));
                            } else {
                                inflight.add(img.writeAsync(off + pos,
                                        pos == 0 && run[0] == data.length ? data
                                                : java.util.Arrays.copyOfRange(data, pos, pos + run[0])));
                            }
                            pos += run[0];
                        }
                    }
                    progress.update(streamLength < 0 ? off : r.position, total);
                }
                default -> {
                    if (format == 1) {
                        throw new MalformedDiffException("unrecognized tag byte " + tag + " in a v1 diff stream");
                    }
                    r.skip(len); // v2 lets a reader skip what it does not know
                }
            }
        }
        drain(inflight, 0);
        img.flush();
        if (to != null) {
            img.snapCreate(to);
            if (prot) {
                img.snapProtect(to);
            }
        }
        return new ImportResult(from, to, size, prot);
    }

    /**
     * The stock tool's calc_sparse_extent: from {@code pos}, the length of the run of
     * {@code sparse}-byte chunks (counted from the record's start) that are all zero or all not,
     * and whether that run is zero ({1} or {0}).
     */
    static int[] sparseRun(byte[] data, int pos, int sparse) {
        if (sparse <= 0) {
            return new int[] {data.length - pos, 0};
        }
        int len = 0;
        boolean zero = false;
        int p = pos;
        while (p < data.length) {
            int n = Math.min(sparse, data.length - p);
            boolean z = isZero(data, p, n);
            if (p == pos) {
                zero = z;
            } else if (z != zero) {
                break;
            }
            p += n;
            len += n;
        }
        return new int[] {len, zero ? 1 : 0};
    }

    private static void drain(ArrayDeque<CompletableFuture<Void>> inflight, int keep) {
        while (inflight.size() > keep) {
            RbdImage.awaitIo(inflight.poll(), "a write of import-diff");
        }
    }

    // ---- merge-diff -------------------------------------------------------------------------

    /** One parsed v1/v2 diff: its header and its extents (data null for zeroes). */
    public record Parsed(String fromSnap, String toSnap, boolean protectedSnap, long size, List<Record> records) {
    }

    /** One 'w' (data non-null) or 'z' record. */
    public record Record(long offset, long length, byte[] data) {
    }

    /** Reads a whole diff stream into memory (either form). */
    public static Parsed parse(InputStream in) throws IOException {
        Reader r = new Reader(in);
        int format = r.banner();
        String from = null;
        String to = null;
        boolean prot = false;
        long size = -1;
        List<Record> recs = new ArrayList<>();
        for (int tag = r.nextTag(format); tag != TAG_END; tag = r.nextTag(format)) {
            long len = r.recordLength;
            switch (tag) {
                case TAG_FROM -> from = r.string();
                case TAG_TO -> to = r.string();
                case TAG_PROTECTED -> prot = r.u8() != 0;
                case TAG_SIZE -> size = r.u64();
                case TAG_WRITE, TAG_ZERO -> {
                    long off = r.u64();
                    long n = r.u64();
                    if (n < 0 || n > Integer.MAX_VALUE - 16 || off < 0) {
                        throw new MalformedDiffException("extent " + off + "~" + n + " cannot be held");
                    }
                    recs.add(new Record(off, n, tag == TAG_WRITE ? r.bytes((int) n) : null));
                }
                default -> {
                    if (format == 1) {
                        throw new MalformedDiffException("unrecognized tag byte " + tag + " in a v1 diff stream");
                    }
                    r.skip(len);
                }
            }
        }
        if (size < 0) {
            throw new MalformedDiffException("diff stream has no size record");
        }
        return new Parsed(from, to, prot, size, recs);
    }

    /**
     * rbd merge-diff: the v1 diff from {@code first}'s start to {@code second}'s end, as if the two
     * had been applied in turn. The second's start must be the first's end; extents the second
     * touches override the first's, and everything the first wrote beyond the second's size is
     * cut off.
     */
    public static void merge(InputStream first, InputStream second, OutputStream out, Progress progress)
            throws IOException {
        Parsed a = parse(first);
        Parsed b = parse(second);
        if (!java.util.Objects.equals(a.toSnap(), b.fromSnap())) {
            throw new MalformedDiffException("the first diff ends at " + a.toSnap() + " but the second starts at "
                    + b.fromSnap());
        }
        // an ordered map of disjoint pieces: offset -> record
        java.util.TreeMap<Long, Record> m = new java.util.TreeMap<>();
        for (Record x : a.records()) {
            put(m, x);
        }
        // the first's data beyond the second's end size is gone once the second applies
        cut(m, Math.min(b.size(), a.size()), Long.MAX_VALUE);
        if (b.size() > a.size()) {
            // applied in turn, the first shrinks the image to its size and the second grows it back
            // with zeroes; applied at once from an older, larger image, those bytes must be zeroed
            put(m, new Record(a.size(), b.size() - a.size(), null));
        }
        for (Record x : b.records()) {
            put(m, x);
        }
        Enc h = new Enc();
        h.raw(BANNER_V1.getBytes(StandardCharsets.US_ASCII));
        if (a.fromSnap() != null) {
            h.tag(TAG_FROM, 1, 0).string(a.fromSnap());
        }
        if (b.toSnap() != null) {
            h.tag(TAG_TO, 1, 0).string(b.toSnap());
        }
        h.tag(TAG_SIZE, 1, 0).u64(b.size());
        out.write(h.bytes());
        for (Record x : m.values()) {
            Enc r = new Enc();
            r.tag(x.data() != null ? TAG_WRITE : TAG_ZERO, 1, 0).u64(x.offset()).u64(x.length());
            out.write(r.bytes());
            if (x.data() != null) {
                out.write(x.data());
            }
            progress.update(x.offset(), b.size());
        }
        out.write(TAG_END);
        out.flush();
    }

    private static void put(java.util.TreeMap<Long, Record> m, Record x) {
        cut(m, x.offset(), x.offset() + x.length());
        m.put(x.offset(), x);
    }

    /** Removes [a, b) from the pieces, trimming the ones that straddle an edge. */
    private static void cut(java.util.TreeMap<Long, Record> m, long a, long b) {
        var lo = m.lowerEntry(a);
        if (lo != null && lo.getKey() + lo.getValue().length() > a) {
            Record r = lo.getValue();
            m.put(r.offset(), slice(r, r.offset(), a));
            if (r.offset() + r.length() > b) {
                m.put(b, slice(r, b, r.offset() + r.length()));
            }
        }
        for (var it = m.subMap(a, true, b, false).entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            Record r = e.getValue();
            it.remove();
            if (r.offset() + r.length() > b) {
                m.put(b, slice(r, b, r.offset() + r.length()));
                break;
            }
        }
    }

    private static Record slice(Record r, long a, long b) {
        byte[] d = r.data() == null ? null
                : java.util.Arrays.copyOfRange(r.data(), (int) (a - r.offset()), (int) (b - r.offset()));
        return new Record(a, b - a, d);
    }

    // ---- encoding helpers ---------------------------------------------------------------------

    static boolean isZero(byte[] d, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (d[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Little-endian record builder. */
    static final class Enc {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Enc raw(byte[] x) {
            b.writeBytes(x);
            return this;
        }

        Enc u8(int v) {
            b.write(v);
            return this;
        }

        Enc u32(long v) {
            for (int i = 0; i < 4; i++) {
                b.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Enc u64(long v) {
            for (int i = 0; i < 8; i++) {
                b.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Enc string(String s) {
            byte[] x = utf8(s);
            return u32(x.length).raw(x);
        }

        /** A tag byte, and in v2 the u64 length of the fields that follow. */
        Enc tag(int tag, int format, long len) {
            u8(tag);
            return format == 2 ? u64(len) : this;
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    /** Little-endian reader that counts its position and turns a short stream into a typed error. */
    static final class Reader {
        private final DataInputStream in;
        long position;

        Reader(InputStream in) {
            this.in = new DataInputStream(in);
        }

        int banner() throws IOException {
            byte[] b = bytes(BANNER_V1.length());
            String s = new String(b, StandardCharsets.US_ASCII);
            if (s.equals(BANNER_V1)) {
                return 1;
            }
            if (s.equals(BANNER_V2)) {
                return 2;
            }
            throw new MalformedDiffException("invalid or unexpected diff banner");
        }

        int u8() throws IOException {
            return bytes(1)[0] & 0xff;
        }

        /** The length of the record {@link #nextTag} began (v2 streams), or -1. */
        long recordLength;

        /** The next record's tag (TAG_END at the end); a v2 record's length goes to {@link #recordLength}. */
        int nextTag(int format) throws IOException {
            int tag = u8();
            recordLength = tag != TAG_END && format == 2 ? u64() : -1;
            return tag;
        }

        long u64() throws IOException {
            byte[] b = bytes(8);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }

        String string() throws IOException {
            return string(4096); // the stock tool's limit against a garbage snapshot name
        }

        /** A u32-length string of at most {@code max} bytes. */
        String string(long max) throws IOException {
            byte[] l = bytes(4);
            long n = (l[0] & 0xff) | (l[1] & 0xff) << 8 | (l[2] & 0xff) << 16 | (long) (l[3] & 0xff) << 24;
            if (n > max || n > Integer.MAX_VALUE - 16) {
                throw new MalformedDiffException("string of " + n + " bytes where at most " + max + " may be");
            }
            return new String(bytes((int) n), StandardCharsets.UTF_8);
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            try {
                in.readFully(b);
            } catch (EOFException e) {
                throw new MalformedDiffException("diff stream ends early (at byte " + position + ")");
            }
            position += n;
            return b;
        }

        void skip(long n) throws IOException {
            if (n < 0) {
                throw new MalformedDiffException("negative record length in a diff stream");
            }
            while (n > 0) {
                int k = (int) Math.min(n, 1 << 16);
                bytes(k);
                n -= k;
            }
        }
    }
}
