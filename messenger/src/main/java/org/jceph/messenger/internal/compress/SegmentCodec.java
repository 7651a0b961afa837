package org.jceph.messenger.internal.compress;

import io.netty.buffer.ByteBuf;

/**
 * Compresses and decompresses one msgr2 frame segment in the format of Ceph's compressor plugin
 * for the algorithm (src/compressor/): what a Ceph daemon's plugin writes, this reads, and the
 * other way round. Stateless and thread-safe. Empty segments are never passed in: the frame
 * layer keeps them empty, as Ceph's onwire handlers do.
 */
public interface SegmentCodec {
    CompressionAlgorithm algorithm();

    /** The compressed form of {@code src}'s readable bytes (not consumed). */
    byte[] compress(ByteBuf src);

    /**
     * The original bytes of a compressed segment (not consumed), at most {@code maxLength} of
     * them: a segment that claims or inflates to more is rejected before that much is allocated.
     */
    byte[] decompress(ByteBuf src, int maxLength) throws CorruptSegmentException;

    /** The codec for a supported algorithm. */
    static SegmentCodec of(CompressionAlgorithm a) {
        return switch (a) {
            case SNAPPY -> SegmentCodecs.SNAPPY;
            case ZLIB -> SegmentCodecs.ZLIB;
            case ZSTD -> SegmentCodecs.ZSTD;
            case LZ4 -> SegmentCodecs.LZ4;
            default -> throw new IllegalArgumentException("jceph has no " + a.cephName + " codec");
        };
    }
}
