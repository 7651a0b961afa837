package org.jceph.rbd.crypto;

/**
 * How a new key slot's passphrase is stretched: PBKDF2-SHA256 iterations (LUKS1 slots), Argon2id
 * time, memory and lanes (LUKS2 slots), and the PBKDF2 iterations of the volume key digest.
 *
 * <p>libcryptsetup, under librbd, benchmarks these for about two seconds per unlock on the
 * formatting host (on this project's 2-core test host Pacific chose 4.1 million PBKDF2 iterations
 * for LUKS1, and Argon2id with time 4, 134 MiB and 2 lanes for LUKS2). {@link #defaults()}
 * measures PBKDF2 the same way and uses fixed Argon2id costs of the same order, so that an
 * unlock on the JVM stays in seconds and within a modest heap.
 */
public final class KdfOptions {
    private final int pbkdf2Iterations;
    private final int digestIterations;
    private final int argon2Time;
    private final int argon2MemoryKiB;
    private final int argon2Lanes;

    private KdfOptions(int pbkdf2Iterations, int digestIterations, int argon2Time, int argon2MemoryKiB,
            int argon2Lanes) {
        if (pbkdf2Iterations < 1000 || digestIterations < 1000 || argon2Time < 4 || argon2MemoryKiB < 32
                || argon2Lanes < 1 || argon2Lanes > 4 || argon2MemoryKiB > 4 * 1024 * 1024) {
            throw new LuksException(-22, "KDF costs below LUKS's minimums (1000 PBKDF2 iterations, Argon2 time 4,"
                    + " 32 KiB) or above 4 GiB / 4 lanes");
        }
        this.pbkdf2Iterations = pbkdf2Iterations;
        this.digestIterations = digestIterations;
        this.argon2Time = argon2Time;
        this.argon2MemoryKiB = argon2MemoryKiB;
        this.argon2Lanes = argon2Lanes;
    }

    /**
     * Explicit costs.
     *
     * @param pbkdf2Iterations PBKDF2 iterations of a LUKS1 key slot, at least 1000
     * @param digestIterations PBKDF2 iterations of the volume key digest, at least 1000
     * @param argon2Time Argon2id passes of a LUKS2 key slot, at least 4
     * @param argon2MemoryKiB Argon2id memory in KiB, at least 32
     * @param argon2Lanes Argon2id lanes, 1 to 4
     * @return the options
     */
    public static KdfOptions of(int pbkdf2Iterations, int digestIterations, int argon2Time, int argon2MemoryKiB,
            int argon2Lanes) {
        return new KdfOptions(pbkdf2Iterations, digestIterations, argon2Time, argon2MemoryKiB, argon2Lanes);
    }

    /**
     * The cheapest costs LUKS accepts, as librbd's own tests use ("insecure fast mode"): for tests
     * only, a passphrase so stretched is easy to brute-force.
     *
     * @return the options
     */
    public static KdfOptions insecureFast() {
        return new KdfOptions(1000, 1000, 4, 32, 1);
    }

    /**
     * PBKDF2-SHA256 iterations measured to take about two seconds here (as libcryptsetup's
     * default iteration time), a digest of an eighth of that, and Argon2id with time 4, 128 MiB
     * and 2 lanes.
     *
     * @return the options
     */
    public static KdfOptions defaults() {
        byte[] pw = new byte[16];
        byte[] salt = new byte[32];
        // warm the JIT up, then double the probe until it runs for a quarter second at least
        Kdf.pbkdf2("sha256", pw, salt, 20_000, 32);
        long probe = 20_000;
        long nanos;
        while (true) {
            long start = System.nanoTime();
            Kdf.pbkdf2("sha256", pw, salt, probe, 32);
            nanos = Math.max(1, System.nanoTime() - start);
            if (nanos >= 250_000_000L || probe >= 1L << 26) {
                break;
            }
            probe *= 2;
        }
        long perTwoSeconds = probe * 2_000_000_000L / nanos;
        int slot = (int) Math.max(1000, Math.min(Integer.MAX_VALUE / 2, perTwoSeconds));
        int digest = Math.max(1000, slot / 16);
        return new KdfOptions(slot, digest, 4, 128 * 1024, 2);
    }

    int pbkdf2Iterations() {
        return pbkdf2Iterations;
    }

    int digestIterations() {
        return digestIterations;
    }

    int argon2Time() {
        return argon2Time;
    }

    int argon2MemoryKiB() {
        return argon2MemoryKiB;
    }

    int argon2Lanes() {
        return argon2Lanes;
    }

    @Override
    public String toString() {
        return "KdfOptions[pbkdf2=" + pbkdf2Iterations + ", digest=" + digestIterations + ", argon2id t="
                + argon2Time + " m=" + argon2MemoryKiB + "KiB p=" + argon2Lanes + "]";
    }
}
