package org.jceph.rados;

/**
 * One pool's usage, the columns of {@code rados df}. {@code storedBytes} is what clients wrote
 * (num_bytes); {@code usedBytes} is the USED column: the space data and omap take on the OSDs when
 * they report per-pool store stats (BlueStore), else the stored bytes, as librados computes it.
 */
public record PoolStat(long storedBytes, long objects, long clones, long copies, long missingOnPrimary,
        long degraded, long unfound, long readOps, long readKb, long writeOps, long writeKb, long usedBytes,
        long compressedAllocated, long compressedOriginal) {
}
