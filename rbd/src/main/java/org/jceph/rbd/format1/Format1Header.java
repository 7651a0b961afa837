package org.jceph.rbd.format1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;

/**
 * The RBD format 1 image header, object {@code NAME.rbd}: the packed {@code rbd_obj_header_ondisk}
 * (112 bytes, declared in {@link CephStructs#RBD_OBJ_HEADER_ONDISK}), then {@code snap_count}
 * packed {@code rbd_obj_snap_ondisk} (id, image size), then the snapshot names, each
 * NUL-terminated, {@code snap_names_len} bytes in all.
 *
 * <pre>
 *   0   text[40]        "&lt;&lt;&lt; Rados Block Device Image &gt;&gt;&gt;\n", NUL padded
 *   40  block_name[24]  "rb.0.1a2b.3c4d5e6f", NUL padded: prefix of the data objects
 *   64  signature[4]    "RBD\0"
 *   68  version[8]      "001.005\0"
 *   76  order, crypt_type, comp_type, unused (one byte each)
 *   80  image_size u64 | 88 snap_seq u64 | 96 snap_count u32 | 100 reserved u32 | 104 snap_names_len u64
 *   112 snaps[snap_count] { u64 id; u64 image_size }, then the names
 * </pre>
 *
 * @param blockName the data objects' name prefix
 * @param order log2 of the object size
 * @param imageSize the image's size in bytes
 * @param snapSeq the newest snap id
 * @param snaps the snapshots
 */
public record Format1Header(String blockName, int order, long imageSize, long snapSeq, List<Snap> snaps) {
    /**
     * The header's opening text.
     */
    public static final String TEXT = "<<< Rados Block Device Image >>>\n";
    /**
     * The header's signature.
     */
    public static final String SIGNATURE = "RBD";
    /**
     * The header version this class reads and writes.
     */
    public static final String VERSION = "001.005";
    /** Objects from 4 KiB to 32 MiB, as librbd allows. */
    public static final int MIN_ORDER = 12;
    /**
     * The largest order: 32 MiB objects.
     */
    public static final int MAX_ORDER = 25;
    private static final int MAX_SNAPS = 1 << 16;

    private static final PackedLayout HEAD = CephStructs.RBD_OBJ_HEADER_ONDISK;
    private static final PackedLayout SNAP = CephStructs.RBD_OBJ_HEADER_SNAP_ONDISK;

    /**
     * One snapshot of a format 1 image.
     *
     * @param id its snap id
     * @param imageSize the image's size at the snapshot
     * @param name its name
     */
    public record Snap(long id, long imageSize, String name) {
    }

    /**
     * A header, checked.
     *
     * @param blockName the data objects' name prefix
     * @param order log2 of the object size
     * @param imageSize the image's size in bytes
     * @param snapSeq the newest snap id
     * @param snaps the snapshots
     * @throws IllegalArgumentException when the block name is 24 bytes or more, or the order is out of range
     */
    public Format1Header {
        if (blockName.getBytes(StandardCharsets.US_ASCII).length >= 24) {
            throw new IllegalArgumentException("block name '" + blockName + "' must be under 24 bytes");
        }
        if (order < MIN_ORDER || order > MAX_ORDER) {
            throw new IllegalArgumentException("order " + order + " outside " + MIN_ORDER + ".." + MAX_ORDER);
        }
        snaps = List.copyOf(snaps);
    }

    /**
     * The header object of image {@code name}.
     *
     * @param imageName the image's name
     * @return the header object's name
     */
    public static String headerObject(String imageName) {
        return imageName + ".rbd";
    }

    /**
     * Bytes per data object.
     *
     * @return 2^order
     */
    public long objectSize() {
        return 1L << order;
    }

    /**
     * The header object's bytes.
     *
     * @return the encoded header, snapshots and names
     */
    public byte[] encode() {
        int namesLen = 0;
        for (Snap s : snaps) {
            namesLen += s.name().getBytes(StandardCharsets.UTF_8).length + 1;
        }
        int total = HEAD.size() + snaps.size() * SNAP.size() + namesLen;
        ByteBuf b = Unpooled.buffer(total, total);
        b.writerIndex(total);
        b.setZero(0, total);
        HEAD.field("text").setBytes(b, 0, TEXT.getBytes(StandardCharsets.US_ASCII));
        HEAD.field("block_name").setBytes(b, 0, blockName.getBytes(StandardCharsets.US_ASCII));
        HEAD.field("signature").setBytes(b, 0, SIGNATURE.getBytes(StandardCharsets.US_ASCII));
        HEAD.field("version").setBytes(b, 0, VERSION.getBytes(StandardCharsets.US_ASCII));
        HEAD.at("options.order").setLong(b, 0, order);
        HEAD.field("image_size").setLong(b, 0, imageSize);
        HEAD.field("snap_seq").setLong(b, 0, snapSeq);
        HEAD.field("snap_count").setLong(b, 0, snaps.size());
        HEAD.field("snap_names_len").setLong(b, 0, namesLen);
        int at = HEAD.size();
        for (Snap s : snaps) {
            SNAP.field("id").setLong(b, at, s.id());
            SNAP.field("image_size").setLong(b, at, s.imageSize());
            at += SNAP.size();
        }
        for (Snap s : snaps) {
            byte[] n = s.name().getBytes(StandardCharsets.UTF_8);
            b.setBytes(at, n);
            at += n.length + 1;
        }
        byte[] out = new byte[total];
        b.getBytes(0, out);
        return out;
    }

    /**
     * Decodes a header object; anything that is not a format 1 header is a {@link DecodeException}.
     *
     * @param bytes the header object's content
     * @return the header
     */
    public static Format1Header decode(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        HEAD.checkReadable(b, 0);
        String text = cString(HEAD.field("text").getBytes(b, 0));
        String signature = cString(HEAD.field("signature").getBytes(b, 0));
        if (!TEXT.equals(text) || !SIGNATURE.equals(signature)) {
            throw new DecodeException(HEAD.name(), 0, "not an RBD format 1 header (text '" + text.trim()
                    + "', signature '" + signature + "')");
        }
        String version = cString(HEAD.field("version").getBytes(b, 0));
        if (!VERSION.equals(version)) {
            throw new DecodeException(HEAD.name(), HEAD.field("version").offset(),
                    "header version '" + version + "', only " + VERSION + " is known");
        }
        int order = (int) HEAD.at("options.order").getLong(b, 0);
        if (order < MIN_ORDER || order > MAX_ORDER) {
            throw new DecodeException(HEAD.name(), HEAD.at("options.order").offset(), "object order " + order);
        }
        long count = HEAD.field("snap_count").getLong(b, 0);
        long namesLen = HEAD.field("snap_names_len").getLong(b, 0);
        long need = HEAD.size() + count * SNAP.size() + namesLen;
        if (count > MAX_SNAPS || namesLen < 0 || need > bytes.length) {
            throw new DecodeException(HEAD.name(), HEAD.field("snap_count").offset(), count + " snapshots with "
                    + namesLen + " bytes of names do not fit in " + bytes.length + " bytes");
        }
        int at = HEAD.size();
        long[][] idsAndSizes = new long[(int) count][2];
        for (int i = 0; i < count; i++) {
            idsAndSizes[i][0] = SNAP.field("id").getLong(b, at);
            idsAndSizes[i][1] = SNAP.field("image_size").getLong(b, at);
            at += SNAP.size();
        }
        List<Snap> snaps = new ArrayList<>();
        int namesEnd = (int) (at + namesLen);
        for (int i = 0; i < count; i++) {
            int nul = at;
            while (nul < namesEnd && bytes[nul] != 0) {
                nul++;
            }
            if (nul >= namesEnd) {
                throw new DecodeException(HEAD.name(), at, "snapshot name " + i + " is not NUL-terminated");
            }
            snaps.add(new Snap(idsAndSizes[i][0], idsAndSizes[i][1],
                    new String(bytes, at, nul - at, StandardCharsets.UTF_8)));
            at = nul + 1;
        }
        String blockName = cString(HEAD.field("block_name").getBytes(b, 0));
        if (blockName.length() >= HEAD.field("block_name").width()) {
            throw new DecodeException(HEAD.name(), HEAD.field("block_name").offset(), "block_name is not NUL-terminated");
        }
        return new Format1Header(blockName, order,
                HEAD.field("image_size").getLong(b, 0), HEAD.field("snap_seq").getLong(b, 0), snaps);
    }

    private static String cString(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return new String(Arrays.copyOf(field, n), StandardCharsets.US_ASCII);
    }
}
