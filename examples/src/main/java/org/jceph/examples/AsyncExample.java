package org.jceph.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;

/** Many ops in flight at once with CompletableFuture. Arguments: CEPH_CONF POOL. */
public final class AsyncExample {
    private AsyncExample() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService work = Executors.newFixedThreadPool(2);
        try (RadosClient client = Connect.fromConf(Path.of(args[0]))) {
            IoCtx io = client.ioCtx(args[1]);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                writes.add(io.writeFullAsync("async-" + i, ("object " + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            // futures complete on the client's completion thread: hand anything slow to your own executor
            CompletableFuture<Integer> total = io.readAsync("async-7", 0, 0)
                    .thenApplyAsync(bytes -> new String(bytes, StandardCharsets.UTF_8).length(), work);
            System.out.println("async-7 holds " + total.get(60, TimeUnit.SECONDS) + " characters");

            for (int i = 0; i < 32; i++) {
                io.removeAsync("async-" + i).get(60, TimeUnit.SECONDS);
            }
        } finally {
            work.shutdown();
        }
    }
}
