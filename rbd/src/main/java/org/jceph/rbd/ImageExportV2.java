package org.jceph.rbd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jceph.rados.IoCtx;

/**
 * The rbd tool's {@code export --export-format 2} / {@code import --export-format 2} stream: an
 * image with its snapshots.
 *
 * <pre>
 * "rbd image v2\n"
 *   'O' len=8 order (u64)   'T' len=8 features   'U' len=8 stripe unit   'C' len=8 stripe count
 *   'M' len key-and-value (two strings), one per image-meta key, in key order
 *   'E' (no length)
 * "rbd image diffs v2\n"  u64 number of diffs (user snapshots + 1)
 *   one v2 diff stream per user snapshot, oldest first, each from the previous one (the first
 *   from the beginning), then one from the last snapshot to HEAD (see {@link DiffStream})
 * </pre>
 * Importing creates the image with the header's layout and features (options the caller sets
 * win, as on the stock tool's command line), sized as the stream's length, sets the metadata,
 * then applies each diff in turn: each resizes, writes, and creates (and protects) its snapshot.
 */
public final class ImageExportV2 {
    private ImageExportV2() {
    }

    public static final String IMAGE_BANNER = "rbd image v2\n";
    public static final String DIFFS_BANNER = "rbd image diffs v2\n";

    static final int TAG_ORDER = 'O';
    static final int TAG_FEATURES = 'T';
    static final int TAG_STRIPE_UNIT = 'U';
    static final int TAG_STRIPE_COUNT = 'C';
    static final int TAG_META = 'M';
    static final int TAG_END = 'E';

    /** Writes {@code img} (opened at HEAD) with its user snapshots; progress counts diffs. */
    public static void export(RbdImage img, OutputStream out, DiffStream.Progress progress) throws IOException {
        DiffStream.Enc h = new DiffStream.Enc().raw(IMAGE_BANNER.getBytes(StandardCharsets.US_ASCII));
        h.tag(TAG_ORDER, 2, 8).u64(img.order());
        h.tag(TAG_FEATURES, 2, 8).u64(img.features());
        h.tag(TAG_STRIPE_UNIT, 2, 8).u64(img.layout().stripeUnit());
        h.tag(TAG_STRIPE_COUNT, 2, 8).u64(img.layout().stripeCount());
        for (Map.Entry<String, String> e : img.metadataList().entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            h.tag(TAG_META, 2, k.length + v.length + 8L).string(e.getKey()).string(e.getValue());
        }
        h.u8(TAG_END);
        h.raw(DIFFS_BANNER.getBytes(StandardCharsets.US_ASCII));
        List<RbdImage.Snapshot> snaps = img.userSnapshots().stream()
                .sorted((a, b) -> Long.compareUnsigned(a.id(), b.id())).toList();
        h.u64(snaps.size() + 1L);
        out.write(h.bytes());
        String last = null;
        for (int i = 0; i < snaps.size(); i++) {
            try (RbdImage at = img.atSnapshot(snaps.get(i).name())) {
                DiffStream.export(at, last, snaps.get(i).name(), false, 2, out, DiffStream.Progress.NONE);
            }
            progress.update(i, snaps.size() + 1L);
            last = snaps.get(i).name();
        }
        DiffStream.export(img, last, null, false, 2, out, DiffStream.Progress.NONE);
        progress.update(snaps.size() + 1L, snaps.size() + 1L);
        out.flush();
    }

    /** Layout choices of an import; null fields come from the stream's header. */
    public record Options(Integer order, Long features, Long stripeUnit, Long stripeCount, IoCtx dataPool) {
        public static final Options NONE = new Options(null, null, null, null, null);
    }

    /**
     * Creates image {@code name} in {@code io} from a v2 export stream and fills it; the image is
     * removed again if the import fails part way.
     *
     * @param initialSize the size to create it with before the first diff resizes it (the stock
     *                    tool uses the stream's file size, or one object for a pipe: -1)
     */
    public static void importImage(IoCtx io, String name, InputStream in, long initialSize, Options opts,
                                   int sparseSize, DiffStream.Progress progress) throws IOException {
        DiffStream.Reader r = new DiffStream.Reader(in);
        String banner = new String(r.bytes(IMAGE_BANNER.length()), StandardCharsets.US_ASCII);
        if (!banner.equals(IMAGE_BANNER)) {
            throw new DiffStream.MalformedDiffException("invalid or unexpected image banner");
        }
        long order = 22;
        long features = RbdFeatures.LIBRBD_DEFAULT;
        long unit = 0;
        long count = 0;
        java.util.SortedMap<String, String> meta = new java.util.TreeMap<>();
        while (true) {
            int tag = r.u8();
            if (tag == TAG_END) {
                break;
            }
            long len = r.u64();
            switch (tag) {
                case TAG_ORDER -> order = r.u64();
                case TAG_FEATURES -> features = r.u64();
                case TAG_STRIPE_UNIT -> unit = r.u64();
                case TAG_STRIPE_COUNT -> count = r.u64();
                case TAG_META -> {
                    String k = r.string(len);
                    meta.put(k, r.string(len));
                }
                default -> r.skip(len);
            }
        }
        int ord = opts.order() != null ? opts.order() : (int) order;
        long feats = opts.features() != null ? opts.features() : features;
        long su = opts.stripeUnit() != null ? opts.stripeUnit() : unit;
        long sc = opts.stripeCount() != null ? opts.stripeCount() : count;
        if (ord < 12 || ord > 25) {
            throw new DiffStream.MalformedDiffException("order " + ord + " in an image stream is outside 12..25");
        }
        // create() sets striping v2 and data-pool from the layout it is given
        feats &= ~(RbdFeatures.STRIPINGV2 | RbdFeatures.DATA_POOL);
        long size = initialSize >= 0 ? initialSize : 1L << ord;
        RbdImage.create(io, name, size, ord, feats, su, sc, opts.dataPool());
        boolean ok = false;
        try (RbdImage img = RbdImage.open(io, name, false)) {
            for (Map.Entry<String, String> e : meta.entrySet()) {
                img.metadataSetCopied(e.getKey(), e.getValue());
            }
            String diffs = new String(r.bytes(DIFFS_BANNER.length()), StandardCharsets.US_ASCII);
            if (!diffs.equals(DIFFS_BANNER)) {
                throw new DiffStream.MalformedDiffException("invalid or unexpected image diffs banner");
            }
            long n = r.u64();
            if (n < 1 || n > 1_000_000) {
                throw new DiffStream.MalformedDiffException("implausible number of diffs: " + n);
            }
            for (long i = 0; i < n; i++) {
                DiffStream.apply(img, in, sparseSize, 0, DiffStream.Progress.NONE);
                progress.update(i + 1, n);
            }
            ok = true;
        } finally {
            if (!ok) {
                try {
                    RbdImage.remove(io, name);
                } catch (RbdException suppressed) {
                    // the import's own failure is the one to report
                }
            }
        }
    }
}
