package org.jceph.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jceph.rados.IoCtx;
import org.jceph.rados.ObjectCursor;
import org.jceph.rados.RadosClient;

/** Lists a pool in parallel: one worker per slice of the hash space. Arguments: CEPH_CONF POOL. */
public final class ListingExample {
    private ListingExample() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try (RadosClient client = Connect.fromConf(Path.of(args[0]))) {
            IoCtx io = client.ioCtx(args[1]);
            for (int i = 0; i < 20; i++) {
                io.writeFull("listed-" + i, new byte[0]);
            }

            List<ObjectCursor.Range> slices = io.objectListSlice(io.objectListBegin(), io.objectListEnd(), 4);
            List<Future<Long>> counts = new ArrayList<>();
            for (ObjectCursor.Range slice : slices) {
                // each worker streams its own range, a page at a time
                counts.add(workers.submit(() -> io.objects(IoCtx.ALL_NAMESPACES, slice)
                        .filter(o -> o.oid().startsWith("listed-")).count()));
            }
            long total = 0;
            for (Future<Long> f : counts) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            System.out.println("listed " + total + " objects in " + slices.size() + " slices");

            for (int i = 0; i < 20; i++) {
                io.remove("listed-" + i);
            }
        } finally {
            workers.shutdownNow();
        }
    }
}
