package org.jceph.messenger.internal.compress;

import java.util.List;

/**
 * The client's msgr2 on-wire compression policy, Ceph's CompressorRegistry options:
 * {@code ms_osd_compress_mode} (none), {@code ms_osd_compression_algorithm} (snappy: the methods we
 * offer, in order of preference), {@code ms_osd_compress_min_size} (1024: smaller frames are sent
 * as they are) and {@code ms_compress_secure} (false: no compression on secure connections).
 *
 * <p>As in Ceph, only connections to OSDs are ever compressed: we ask for it towards an OSD when
 * the mode is not none, and an OSD grants it only to a peer that is an OSD itself, so a client's
 * request is always answered "no" by Ceph 17-20 OSDs (seen on Reef 18.2.7: the OSD evaluates its
 * mode for peer type client and sends COMPRESSION_DONE is_compress=0).
 */
public record CompressionSettings(CompressionMode mode, List<CompressionAlgorithm> methods, long minSize,
                                  boolean compressSecure) {
    /** CEPH_ENTITY_TYPE_OSD. */
    private static final int OSD = 4;
    public static final long DEFAULT_MIN_SIZE = 1024;
    public static final CompressionSettings NONE = new CompressionSettings(CompressionMode.NONE,
            List.of(CompressionAlgorithm.SNAPPY), DEFAULT_MIN_SIZE, false);

    public CompressionSettings {
        methods = List.copyOf(methods);
    }

    /** Whether COMPRESSION_REQUEST asks for compression (CompressorRegistry::get_mode != none). */
    public boolean wants(int peerType, boolean secure) {
        return peerType == OSD && mode != CompressionMode.NONE && (!secure || compressSecure) && !methods.isEmpty();
    }

    /** The preferred methods COMPRESSION_REQUEST lists for a peer of this type (none but to OSDs). */
    public List<CompressionAlgorithm> methodsFor(int peerType) {
        return peerType == OSD ? methods : List.of();
    }

    /** Parses {@code ms_osd_compression_algorithm}: names separated by commas, semicolons or blanks. */
    public static List<CompressionAlgorithm> parseMethods(String list) {
        List<CompressionAlgorithm> out = new java.util.ArrayList<>();
        for (String n : list.split("[,;\\s]+")) {
            if (n.isBlank()) {
                continue;
            }
            CompressionAlgorithm a = CompressionAlgorithm.named(n);
            if (a == null || !a.supported()) {
                throw new IllegalArgumentException("ms_osd_compression_algorithm: " + (a == null ? "unknown" : "unsupported")
                        + " algorithm '" + n.strip() + "' (jceph has snappy, zlib, zstd, lz4)");
            }
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }
}
