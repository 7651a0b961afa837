package org.jceph.messenger.internal.compress;

/**
 * A decoder for the LZ4 block format (lz4's doc/lz4_Block_format.md) that, unlike a plain block
 * decoder, lets matches reach back before the block's own start into what was decoded earlier in
 * the same output array: Ceph's lz4 plugin compresses a bufferlist's buffers as dependent blocks.
 */
final class Lz4Block {
    private Lz4Block() {
    }

    /**
     * Decodes {@code len} bytes of {@code in} from {@code ip} into {@code out} from {@code op},
     * writing no further than {@code limit}; matches may copy from anywhere in {@code out} before
     * the write position. Returns the number of bytes written.
     */
    static int decode(byte[] in, int ip, int len, byte[] out, int op, int limit) throws CorruptSegmentException {
        int end = ip + len;
        int start = op;
        if (len == 0) {
            throw new CorruptSegmentException("empty lz4 block");
        }
        while (true) {
            if (ip == end) {
                return op - start; // ended on a match: lz4 itself never writes this, but it is unambiguous
            }
            int token = in[ip++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw new CorruptSegmentException("lz4 block ends inside a literal length");
                    }
                    b = in[ip++] & 0xFF;
                    lit += b;
                } while (b == 255);
            }
            if (lit > end - ip || lit > limit - op) {
                throw new CorruptSegmentException("lz4 literals run past the block or the output");
            }
            System.arraycopy(in, ip, out, op, lit);
            ip += lit;
            op += lit;
            if (ip == end) {
                return op - start; // the last sequence carries literals only
            }
            if (end - ip < 2) {
                throw new CorruptSegmentException("lz4 block ends inside a match offset");
            }
            int offset = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
            ip += 2;
            if (offset == 0 || offset > op) {
                throw new CorruptSegmentException("lz4 match offset " + offset + " reaches before the output");
            }
            int ml = token & 15;
            if (ml == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw new CorruptSegmentException("lz4 block ends inside a match length");
                    }
                    b = in[ip++] & 0xFF;
                    ml += b;
                } while (b == 255);
            }
            ml += 4;
            if (ml > limit - op) {
                throw new CorruptSegmentException("lz4 match runs past the output");
            }
            int from = op - offset;
            if (offset >= ml) {
                System.arraycopy(out, from, out, op, ml);
                op += ml;
            } else {
                for (int i = 0; i < ml; i++) {
                    out[op++] = out[from++];
                }
            }
        }
    }
}
