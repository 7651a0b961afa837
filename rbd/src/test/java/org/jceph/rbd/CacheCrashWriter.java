package org.jceph.rbd;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.cache.CacheSettings;

/**
 * The writer {@link RbdCacheIT} kills: rounds of 4 KiB block writes through the writeback cache,
 * a flush after every third round (reported on stdout once complete), then it waits to be killed
 * with dirty data in its cache. Args: CONF POOL IMAGE SEED ROUNDS.
 */
public final class CacheCrashWriter {
    static final int BLOCK = 4096;
    static final int BLOCKS = 1024;
    static final int PER_ROUND = 48;

    private CacheCrashWriter() {
    }

    /** The blocks round {@code g} (from 1) writes, as the seed decides. */
    static List<int[]> plan(long seed, int rounds) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int g = 1; g <= rounds; g++) {
            int[] blocks = new int[PER_ROUND];
            for (int i = 0; i < PER_ROUND; i++) {
                blocks[i] = r.nextInt(BLOCKS);
            }
            out.add(blocks);
        }
        return out;
    }

    /** Block {@code b} as round {@code g} writes it: (b, g) repeated over the block. */
    static byte[] pattern(int b, int g) {
        ByteBuffer bb = ByteBuffer.allocate(BLOCK);
        while (bb.hasRemaining()) {
            bb.putInt(b).putInt(g);
        }
        return bb.array();
    }

    public static void main(String[] args) throws Exception {
        CephConfig config = CephConfig.builder().confFile(Path.of(args[0])).build();
        long seed = Long.parseLong(args[3]);
        int rounds = Integer.parseInt(args[4]);
        CacheSettings cache = CacheSettings.DEFAULTS.withPolicy(CacheSettings.Policy.WRITEBACK)
                .withWritethroughUntilFlush(false).withMaxDirtyAge(Duration.ofMinutes(10));
        RadosClient client = RadosClient.connect(config);
        RbdImage img = RbdImage.open(client.ioCtx(args[1]), args[2], OpenOptions.readWrite(), cache);
        List<int[]> plan = plan(seed, rounds);
        for (int g = 1; g <= rounds; g++) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int b : plan.get(g - 1)) {
                acks.add(img.writeAsync((long) b * BLOCK, pattern(b, g)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            if (g % 3 == 0) {
                img.flush();
                System.out.println("FLUSHED " + g);
            }
        }
        System.out.println("READY");
        System.out.flush();
        // Wait to be killed: the test never writes to our stdin; if it goes away, EOF ends us too
        // (and then without a flush or close either, which is the point).
        while (System.in.read() >= 0) {
            // ignore
        }
        Runtime.getRuntime().halt(0);
    }
}
