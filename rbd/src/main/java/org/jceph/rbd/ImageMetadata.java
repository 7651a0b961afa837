package org.jceph.rbd;

import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * Image metadata ({@code rbd image-meta}): key/value pairs in the header's omap under the
 * {@code metadata_} prefix, read and written through cls_rbd metadata_get/set/list/remove.
 * Values are opaque bytes to the class; the rbd tool stores text.
 */
final class ImageMetadata {
    private static final int PAGE = 64;

    private ImageMetadata() {
    }

    static String get(IoCtx md, String header, String image, String key) {
        try {
            byte[] out = md.exec(header, "rbd", "metadata_get", CephEncoder.toBytes(e -> e.writeString(key)));
            return new String(CephDecoder.of(out, "metadata_get").readBlob(), StandardCharsets.UTF_8);
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.NoSuchKeyException("image " + image + " has no metadata key " + key);
        }
    }

    static void set(IoCtx md, String header, String key, String value) {
        if (key.startsWith("conf_")) {
            // librbd validates these as per-image config overrides; we do not know its option table.
            throw new RbdException("metadata key " + key + ": conf_ keys are image config overrides, which jceph does not"
                    + " validate: set them with the rbd tool");
        }
        setCopied(md, header, key, value);
    }

    /** Sets a key as it was read from another image (an export stream): a conf_ key was validated where it came from. */
    static void setCopied(IoCtx md, String header, String key, String value) {
        byte[] in = CephEncoder.toBytes(e -> {
            e.writeU32Le(1);
            e.writeString(key);
            e.writeBlob(value.getBytes(StandardCharsets.UTF_8));
        });
        md.exec(header, "rbd", "metadata_set", in);
    }

    static void remove(IoCtx md, String header, String image, String key) {
        get(md, header, image, key); // cls_rbd removes a missing key silently; librbd reports ENOENT, so do we
        try {
            md.exec(header, "rbd", "metadata_remove", CephEncoder.toBytes(e -> e.writeString(key)));
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.NoSuchKeyException("image " + image + " has no metadata key " + key);
        }
    }

    static SortedMap<String, String> list(IoCtx md, String header) {
        SortedMap<String, String> out = new TreeMap<>();
        String after = "";
        while (true) {
            final String start = after;
            byte[] raw = md.exec(header, "rbd", "metadata_list",
                    CephEncoder.toBytes(e -> e.writeString(start).writeU64Le(PAGE)));
            var page = CephDecoder.of(raw, "metadata_list").readMap(8, CephDecoder::readString, CephDecoder::readBlob);
            page.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
            if (page.size() < PAGE) {
                return out;
            }
            after = new TreeMap<>(page).lastKey();
        }
    }
}
